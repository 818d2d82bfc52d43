// Highlights the SPARQL a page shows (pre.sparql) with CodeMirror's SPARQL mode, without an editor.
"use strict";

for (const block of document.querySelectorAll("pre.sparql code")) {
  CodeMirror.runMode(block.textContent, "sparql", block);
}
