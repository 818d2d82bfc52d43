// The home page: run the editor's query or a canned query and show the answer as a table.
"use strict";

const RESULTS_JSON = "application/sparql-results+json";

function showStatus(text, isError) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

function cellText(term) {
  if (!term) return "";
  if (term["xml:lang"]) return `${term.value} @${term["xml:lang"]}`;
  return term.value;
}

function renderTable(answer) {
  const table = document.getElementById("result-table");
  table.replaceChildren();
  if ("boolean" in answer) {
    showStatus(`Answer: ${answer.boolean}`, false);
    return;
  }
  const columns = answer.head.vars;
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement("th");
    th.textContent = column;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const binding of answer.results.bindings) {
    const row = body.insertRow();
    for (const column of columns) {
      const cell = row.insertCell();
      const term = binding[column];
      if (term && term.type === "uri") {
        const link = document.createElement("a");
        const base = "https://w3id.org/libertera/";
        link.href = term.value.startsWith(base) ? "/" + term.value.slice(base.length) : term.value;
        link.textContent = term.value;
        cell.appendChild(link);
      } else {
        cell.textContent = cellText(term);
      }
    }
  }
  const count = answer.results.bindings.length;
  showStatus(`${count} row${count === 1 ? "" : "s"}`, false);
}

async function fetchAnswer(url, options) {
  showStatus("Running…", false);
  document.getElementById("result-table").replaceChildren();
  try {
    const response = await fetch(url, options);
    const text = await response.text();
    if (!response.ok) {
      showStatus(`Error ${response.status}: ${text}`, true);
      return;
    }
    const type = response.headers.get("content-type") || "";
    if (!type.startsWith(RESULTS_JSON)) {
      showStatus(`The answer is ${type}; the table shows SELECT and ASK answers.`, false);
      return;
    }
    renderTable(JSON.parse(text));
    if (response.headers.get("x-sparql-maxrows")) {
      showStatus(`${document.getElementById("status").textContent} (cut at the server's limit)`, false);
    }
  } catch (error) {
    showStatus(`The request failed: ${error}`, true);
  }
}

document.getElementById("query-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const query = document.getElementById("query").value;
  fetchAnswer("/sparql", {
    method: "POST",
    headers: { "Content-Type": "application/sparql-query", Accept: RESULTS_JSON },
    body: query,
  });
});

for (const form of document.querySelectorAll("form.canned")) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    for (const input of form.querySelectorAll("input")) {
      if (input.value.trim() !== "") params.append(input.name, input.value.trim());
    }
    const query = params.toString();
    fetchAnswer(`/queries/${form.dataset.name}${query ? "?" + query : ""}`, {
      headers: { Accept: RESULTS_JSON },
    });
    document.getElementById("results").scrollIntoView();
  });
}
