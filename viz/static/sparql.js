// The query page: YASGUI pointed at this server's guarded /sparql, with the named examples in a menu.
// Remote lookups YASGUI would make (prefix.cc, LOV autocompletion, endpoint catalogue) are switched off.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("sparql-config").textContent);
  const examples = {};
  config.examples.forEach(function (ex) { examples[ex.name] = ex.query; });
  const first = config.examples.length ? config.examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10";
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST", acceptHeaderSelect: "application/sparql-results+json" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    showEndpointButton: false,
    endpointCatalogueOptions: { getData: function () { return []; } },
    yasqe: { value: first, autocompleters: ["variables"], resizeable: true, editorHeight: "260px" },
    yasr: { prefixes: {} },
  });
  window.rolkgYasgui = yasgui;
  const menu = document.getElementById("examples");
  menu.addEventListener("change", function () {
    const q = examples[menu.value];
    if (q) { yasgui.getTab().setQuery(q); }
  });
  document.documentElement.dataset.ready = "1";
})();
