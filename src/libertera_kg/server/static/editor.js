// The query editor on the home page: CodeMirror with SPARQL highlighting. It declares the graph's prefixes
// a query uses, runs the query on /sparql and shows the answer as the server writes it for a browser (a
// table for SELECT, the triples for CONSTRUCT and DESCRIBE, true or false for ASK), with its size and time.
"use strict";

const PREFIXES = JSON.parse(document.getElementById("prefixes").textContent);
const CANNED = JSON.parse(document.getElementById("canned-queries").textContent);
const DECLARED = /\bPREFIX\s+([A-Za-z][\w.-]*)?:/gi;

const editor = CodeMirror.fromTextArea(document.getElementById("query"), {
  mode: "sparql",
  lineNumbers: true,
  matchBrackets: true,
  indentUnit: 2,
  viewportMargin: Infinity,
  extraKeys: { "Ctrl-Enter": () => run(), "Cmd-Enter": () => run() },
});

function showStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

// The prefixes the query uses (prefixed names, as the SPARQL mode reads them) but does not declare.
function undeclaredPrefixes() {
  const declared = new Set([...editor.getValue().matchAll(DECLARED)].map((match) => match[1] || ""));
  const missing = new Set();
  for (let line = 0; line < editor.lineCount(); line++) {
    for (const token of editor.getLineTokens(line)) {
      if (token.type !== "atom" || token.string.startsWith("<")) continue;
      const prefix = token.string.slice(0, token.string.indexOf(":"));
      if (prefix in PREFIXES && !declared.has(prefix)) missing.add(prefix);
    }
  }
  return [...missing].sort();
}

function declarePrefixes() {
  const missing = undeclaredPrefixes();
  if (missing.length === 0) return;
  const lines = missing.map((prefix) => `PREFIX ${prefix}: <${PREFIXES[prefix]}>\n`).join("");
  editor.replaceRange(lines, { line: 0, ch: 0 });
}

async function run() {
  declarePrefixes();
  const query = editor.getValue();
  const holder = document.getElementById("answer-holder");
  holder.replaceChildren();
  showStatus("Running…", false);
  history.replaceState(null, "", `/?query=${encodeURIComponent(query)}#editor`);
  const started = performance.now();
  let response, text;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
      body: new URLSearchParams({ query }),
    });
    text = await response.text();
  } catch (error) {
    showStatus(`The request failed: ${error}`, true);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (!(response.headers.get("content-type") || "").startsWith("text/html")) {
    showStatus(`Error ${response.status}: ${text.trim()}`, true);
    return;
  }
  const answer = new DOMParser().parseFromString(text, "text/html").getElementById("answer");
  if (answer.classList.contains("failed")) {
    showStatus(answer.textContent.trim(), true);
    return;
  }
  answer.querySelector(".size").remove();
  holder.appendChild(document.adoptNode(answer));
  showStatus(`${answer.dataset.size} · ${seconds} s`, false);
}

document.getElementById("query-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run();
});

document.getElementById("start-from").addEventListener("change", (event) => {
  const name = event.target.value;
  if (name in CANNED) editor.setValue(CANNED[name]);
  event.target.value = "";
  editor.focus();
});
