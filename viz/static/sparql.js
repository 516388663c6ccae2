// The query page: a Yasqe editor and our own runner against this server's guarded /sparql. Errors and
// refusals show the server's message; IRIs of this graph link to their local /id/… pages, shown with
// prefixed names; literals are plain text with their datatype or language on hover. Common prefixes are
// predeclared (added to the query when it does not declare them). All values go in as text, never HTML.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("sparql-config").textContent);
  const DATA = "https://w3id.org/rolkg/id/";
  const prefixes = config.prefixes;
  const examples = {};
  config.examples.forEach(function (ex) { examples[ex.name] = ex.query; });
  document.querySelector(".sparql-js").hidden = false;
  const plain = document.getElementById("plain-form");
  if (plain && !document.getElementById("plain-result")) { plain.hidden = true; }

  const yasqe = new Yasqe(document.getElementById("editor"), {
    value: config.query,
    persistenceId: null,
    showQueryButton: false,
    autocompleters: ["variables"],
    resizeable: true,
    editorHeight: "260px",
  });
  window.rolkgYasqe = yasqe;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function shortIri(iri) {
    let best = null;
    prefixes.forEach(function (p) {
      if (iri.startsWith(p.ns) && (!best || p.ns.length > best.ns.length)) { best = p; }
    });
    return best ? best.prefix + ":" + iri.slice(best.ns.length) : iri;
  }
  function withPrefixes(query) {
    const declared = new Set();
    const rx = /PREFIX\s+([A-Za-z][\w.-]*)?\s*:/gi;
    let m;
    while ((m = rx.exec(query)) !== null) { declared.add(m[1] || ""); }
    const lines = prefixes.filter(function (p) { return !declared.has(p.prefix); })
      .map(function (p) { return "PREFIX " + p.prefix + ": <" + p.ns + ">"; });
    // On the query's first line, so the server's line numbers stay right (columns on line 1 are fixed below).
    return lines.length ? lines.join(" ") + " " + query : query;
  }
  function fixPosition(message, added) {
    return message.replace(/line 1, column (\d+)/, function (_, col) {
      return "line 1, column " + Math.max(1, Number(col) - added);
    });
  }
  function cell(term) {
    const td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      const text = shortIri(term.value);
      if (term.value.startsWith(DATA)) {
        const a = el("a", text);
        a.href = "/id/" + term.value.slice(DATA.length);
        a.title = term.value;
        td.appendChild(a);
      } else {
        td.appendChild(el("span", text)).title = term.value;
      }
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
    } else {
      td.textContent = term.value;
      if (term["xml:lang"]) { td.title = "@" + term["xml:lang"]; }
      else if (term.datatype) { td.title = shortIri(term.datatype); }
      td.className = "literal";
    }
    return td;
  }
  const status = document.getElementById("status");
  const error = document.getElementById("error");
  const results = document.getElementById("results");
  function showError(code, message) {
    error.replaceChildren(el("strong", code + " "), el("span", message));
    error.hidden = false;
  }
  function table(data) {
    const vars = data.head.vars || [];
    const t = el("table", null, "results");
    t.id = "result-table";
    const head = el("tr");
    vars.forEach(function (v) { head.appendChild(el("th", "?" + v)); });
    t.appendChild(el("thead")).appendChild(head);
    const body = t.appendChild(el("tbody"));
    data.results.bindings.forEach(function (b) {
      const tr = el("tr");
      vars.forEach(function (v) { tr.appendChild(cell(b[v])); });
      body.appendChild(tr);
    });
    return t;
  }
  async function run() {
    const started = performance.now();
    error.hidden = true;
    results.replaceChildren();
    status.textContent = "运行中 running…";
    const typed = yasqe.getValue();
    const sent = withPrefixes(typed);
    let resp;
    try {
      resp = await fetch(config.endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded",
                   "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query: sent }),
      });
    } catch (err) {
      status.textContent = "";
      showError("", "无法连接服务器 cannot reach the server: " + err);
      return;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const text = await resp.text();
    if (!resp.ok) {
      status.textContent = "失败 failed in " + seconds + " s";
      showError(resp.status, fixPosition(text.trim() || resp.statusText, sent.length - typed.length));
      document.documentElement.dataset.ran = "error";
      return;
    }
    const type = resp.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      const data = JSON.parse(text);
      if (typeof data.boolean === "boolean") {
        results.appendChild(el("p", "ASK → " + data.boolean, "boolean"));
        status.textContent = seconds + " s";
      } else {
        results.appendChild(table(data));
        const capped = (resp.headers.get("X-Result-Capped") || "").startsWith("true") ? " (已截断 capped)" : "";
        status.textContent = data.results.bindings.length + " 行 rows" + capped + " · " + seconds + " s";
      }
    } else {
      results.appendChild(el("pre", text, "graph-result"));
      status.textContent = seconds + " s";
    }
    document.documentElement.dataset.ran = "ok";
  }
  yasqe.query = function () { run(); return Promise.resolve(); };  // Yasqe's Ctrl+Enter calls this
  document.getElementById("run").addEventListener("click", run);
  const menu = document.getElementById("examples");
  menu.addEventListener("change", function () {
    const q = examples[menu.value];
    if (q) { yasqe.setValue(q); }
  });
  window.rolkgRun = run;
  document.documentElement.dataset.ready = "1";
})();
