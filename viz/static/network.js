// Draws the network held in the #graph-data JSON island. Every piece of report text goes into the page
// through textContent or the canvas, never as HTML: vis renders a string `title` as HTML, so tooltips
// are DOM elements.
(function () {
  "use strict";
  const island = document.getElementById("graph-data");
  if (!island || typeof vis === "undefined") { return; }
  const data = JSON.parse(island.textContent);
  const base = data.base || "";

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function tooltip(info) {
    const box = el("div", null, "tip");
    box.appendChild(el("strong", info.label));
    if (info.label_en) { box.appendChild(el("div", info.label_en, "en")); }
    box.appendChild(el("div", info.cls_label, "cls"));
    if (info.facts && info.facts.year) { box.appendChild(el("div", "年份 year " + info.facts.year, "cls")); }
    return box;
  }

  function edgeTip(e) {
    const box = el("div", null, "tip");
    box.appendChild(el("strong", e.word || e.relation));
    if (e.quote) { box.appendChild(el("blockquote", e.quote)); }
    return box;
  }

  function link(href, text) {
    const a = el("a", text);
    a.href = href;
    return a;
  }

  const panel = document.getElementById("panel");
  function showPanel(id) {
    const info = data.panel[id];
    if (!info || !panel) { return; }
    document.getElementById("panel-label").textContent = info.label;
    document.getElementById("panel-label-en").textContent = info.label_en || "";
    document.getElementById("panel-class").textContent = info.cls_label;
    const facts = document.getElementById("panel-facts");
    facts.replaceChildren();
    const rows = [];
    const f = info.facts || {};
    if (f.year) { rows.push(["年份 year", f.year]); }
    if (f.kind) { rows.push(["种类 kind", f.kind]); }
    if (f.count) { rows.push(["数量 count", f.count]); }
    if (info.themes && info.themes.length) { rows.push(["主题 themes", info.themes.join("、")]); }
    if (info.reports && info.reports.length) {
      rows.push(["报告 reports", info.reports.map(function (r) { return r.split("/").pop(); }).join(", ")]);
    }
    if (info.community !== null && info.community !== undefined) { rows.push(["社群 community", info.community]); }
    if (f.description) { rows.push(["内容 description", f.description]); }
    rows.forEach(function (r) { facts.appendChild(el("dt", r[0])); facts.appendChild(el("dd", r[1])); });
    const quote = document.getElementById("panel-quote");
    quote.textContent = f.quote || "";
    quote.hidden = !f.quote;
    const table = document.getElementById("panel-metrics");
    const body = table.querySelector("tbody");
    body.replaceChildren();
    (info.metrics || []).forEach(function (m) {
      const tr = el("tr");
      tr.appendChild(el("td", m.indicator + (m.qualifiers ? " (" + m.qualifiers + ")" : "")));
      tr.appendChild(el("td", m.value));
      tr.appendChild(el("td", m.unit));
      tr.title = m.quote || "";
      body.appendChild(tr);
    });
    table.hidden = !(info.metrics && info.metrics.length);
    const links = document.getElementById("panel-links");
    links.replaceChildren();
    if (info.kind) {
      const path = encodeURIComponent(info.kind) + "/" + encodeURIComponent(info.slug);
      links.appendChild(link(base + "/id/" + path, "实体页 entity page"));
      if (info.node) {
        links.appendChild(link(base + "/viz/entity/" + path, "邻域 neighbourhood"));
        links.appendChild(link(base + "/viz/lineage/" + path, "沿革 lineage"));
      }
      links.appendChild(link(base + "/id/" + path + ".jsonld", "JSON-LD"));
    }
    panel.hidden = false;
    panel.dataset.node = id;
  }
  const close = document.getElementById("panel-close");
  if (close) { close.addEventListener("click", function () { panel.hidden = true; }); }

  const hiddenClasses = new Set();
  const nodes = new vis.DataSet(data.nodes.map(function (n) {
    return Object.assign({}, n, { title: tooltip(data.panel[n.id]) });
  }));
  const edges = new vis.DataSet(data.edges.map(function (e, i) {
    return Object.assign({ id: i }, e, { title: edgeTip(e) });  // DOM tooltip: relation and its evidence
  }));
  // A group's anchor (focus area, report) shows while any of its members does.
  const ANCHOR = { FocusArea: true, Report: true };
  let liveGroups = new Set();
  function countGroups() {
    liveGroups = new Set(nodes.get().filter(function (n) {
      return n.cluster && !ANCHOR[n.cls] && !hiddenClasses.has(n.cls);
    }).map(function (n) { return n.cluster; }));
  }
  countGroups();
  const view = new vis.DataView(nodes, {
    filter: function (n) { return ANCHOR[n.cls] ? liveGroups.has(n.id) : !hiddenClasses.has(n.cls); }
  });
  const container = document.getElementById("network");
  const network = new vis.Network(container, { nodes: view, edges: edges }, data.options);
  window.rolkgNetwork = network;  // for the browser tests and the benchmark
  const drawn = document.getElementById("drawn");

  // First view: the whole network when labels stay readable, else the most central node at a readable zoom.
  const READABLE = 0.75;
  let first = null;
  function firstView() {
    network.fit({ animation: false });
    if (network.getScale() < READABLE && data.groups && data.groups.length) {
      // A grouped view reads from its top-left corner: the first groups and the hubs above them.
      const pos = network.getPositions();
      const ids = Object.keys(pos);
      const x0 = Math.min.apply(null, ids.map(function (id) { return pos[id].x; }));
      const y0 = Math.min.apply(null, ids.map(function (id) { return pos[id].y; }));
      const w = container.clientWidth / READABLE, h = container.clientHeight / READABLE;
      network.moveTo({ position: { x: x0 - 160 + w / 2, y: y0 - 70 + h / 2 }, scale: READABLE, animation: false });
    } else if (network.getScale() < READABLE && data.nodes.length) {
      const top = data.nodes.reduce(function (a, b) { return (b.size || 0) > (a.size || 0) ? b : a; });
      network.moveTo({ position: network.getPosition(top.id), scale: READABLE, animation: false });
    }
    first = { position: network.getViewPosition(), scale: network.getScale() };
  }
  function markReady() {
    drawn.textContent = String(view.length);
    document.documentElement.dataset.drawn = String(view.length);
    document.documentElement.dataset.ready = String(performance.now());
  }
  // Interactive = drawn once with nodes at rest: after stabilisation when physics runs, else at once.
  const physics = Boolean(data.options.physics && data.options.physics.enabled);
  function whenDrawn() {
    network.once("afterDrawing", function () {
      if (data.focus && nodes.get(data.focus)) { network.selectNodes([data.focus]); }
      firstView();
      markReady();
    });
  }
  if (physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      whenDrawn();
      network.redraw();
    });
  } else {
    whenDrawn();
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(params.nodes[0]); } else if (params.edges.length) { showEdge(params.edges[0]); }
    showHubEdges(params.nodes.length ? params.nodes[0] : null);
  });

  // Edges to hubs (a bureau that leads every measure) stay hidden, so no path seems to run through the
  // hub; selecting a node shows its own edges to hubs, selecting a hub shows all of its edges.
  const hubEdges = edges.get({ filter: function (e) { return e.hub; } });
  function showHubEdges(id) {
    if (!hubEdges.length) { return; }
    edges.update(hubEdges.map(function (e) { return { id: e.id, hidden: !(id && (e.from === id || e.to === id)) }; }));
  }

  // An edge's relation (in the page language) and the report's words for it, in the side panel.
  function showEdge(id) {
    const e = edges.get(id);
    if (!e || !panel) { return; }
    const from = data.panel[e.from] || {}, to = data.panel[e.to] || {};
    document.getElementById("panel-label").textContent = e.word || e.relation;
    document.getElementById("panel-label-en").textContent = "";
    document.getElementById("panel-class").textContent = (from.label || e.from) + " → " + (to.label || e.to);
    document.getElementById("panel-facts").replaceChildren();
    const quote = document.getElementById("panel-quote");
    quote.textContent = e.quote || "";
    quote.hidden = !e.quote;
    document.getElementById("panel-metrics").hidden = true;
    document.getElementById("panel-links").replaceChildren();
    panel.hidden = false;
    panel.dataset.edge = String(id);
  }

  // Groups of the overview (a focus area and its measures) shaded behind their nodes, so the blocks read
  // as units; each anchor node carries the group's label.
  const clusters = new Set(data.groups || []);
  if (clusters.size) {
    network.on("beforeDrawing", function (ctx) {
      const boxes = {};
      const pos = network.getPositions(view.getIds());
      Object.keys(pos).forEach(function (id) {
        const c = nodes.get(id).cluster;
        if (!c || !clusters.has(c)) { return; }
        const b = boxes[c] || (boxes[c] = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity });
        b.x0 = Math.min(b.x0, pos[id].x); b.y0 = Math.min(b.y0, pos[id].y);
        b.x1 = Math.max(b.x1, pos[id].x); b.y1 = Math.max(b.y1, pos[id].y);
      });
      ctx.save();
      ctx.fillStyle = "rgba(0, 114, 178, 0.06)";
      ctx.strokeStyle = "rgba(0, 114, 178, 0.25)";
      Object.keys(boxes).forEach(function (c) {
        const b = boxes[c], padX = 130, padY = 40;  // labels are centred under their nodes
        ctx.beginPath();
        ctx.rect(b.x0 - padX, b.y0 - padY, b.x1 - b.x0 + 2 * padX, b.y1 - b.y0 + 2 * padY);
        ctx.fill();
        ctx.stroke();
      });
      ctx.restore();
    });
  }

  // Double-click a node: its neighbours (bounded, from /viz/entity/…json) join the view around it.
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) { return; }
    const id = params.nodes[0], info = data.panel[id];
    if (!info || !info.node || !info.kind) { return; }
    const url = base + "/viz/entity/" + encodeURIComponent(info.kind) + "/" + encodeURIComponent(info.slug) + ".json?limit=40";
    fetch(url, { headers: { Accept: "application/json" } }).then(function (r) { return r.ok ? r.json() : null; }).then(function (more) {
      if (!more) { return; }
      const at = network.getPosition(id);
      let k = 0;
      more.nodes.forEach(function (n) {
        if (nodes.get(n.id)) { return; }
        const angle = 2 * Math.PI * (k++) / Math.max(more.nodes.length, 1);
        data.panel[n.id] = more.panel[n.id];
        nodes.add(Object.assign({}, n, { x: at.x + 220 * Math.cos(angle), y: at.y + 220 * Math.sin(angle), physics: false, title: tooltip(more.panel[n.id]) }));
      });
      const known = new Set(edges.get().map(function (e) { return e.from + "|" + e.relation + "|" + e.to; }));
      more.edges.forEach(function (e) {
        const key = e.from + "|" + e.relation + "|" + e.to;
        if (known.has(key)) { return; }
        edges.add(Object.assign({}, e, { id: "x" + edges.length + key, title: edgeTip(e) }));
      });
      drawn.textContent = String(view.length);
      document.documentElement.dataset.expanded = id;
    });
  });

  // Class checkboxes of the filter form also hide and show classes at once, before submitting.
  document.querySelectorAll(".filters input[name=class]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { hiddenClasses.delete(box.value); } else { hiddenClasses.add(box.value); }
      countGroups();
      view.refresh();
      drawn.textContent = String(view.length);
      const none = document.getElementById("nothing-visible");
      if (none) { none.hidden = view.length > 0 || data.nodes.length === 0; }
    });
  });
  function zoom(factor) {
    network.moveTo({ scale: network.getScale() * factor, animation: false });
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoom(1.4); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoom(1 / 1.4); });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });
  document.getElementById("reset").addEventListener("click", function () {
    if (first) { network.moveTo({ position: first.position, scale: first.scale, animation: { duration: 300 } }); }
  });
  const png = document.getElementById("png");
  png.addEventListener("click", function () {
    // The canvas as drawn now, on a white background (the canvas itself is transparent).
    const canvas = container.querySelector("canvas");
    const out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    png.href = out.toDataURL("image/png");
  });
  document.querySelectorAll(".swatch[data-cls]").forEach(function (s) {
    s.style.backgroundColor = (data.colours || {})[s.dataset.cls] || "#777";
  });

  const labels = document.getElementById("node-labels");
  data.nodes.forEach(function (n) {
    const info = data.panel[n.id];
    const opt = document.createElement("option");
    opt.value = info.label;
    labels.appendChild(opt);
  });
  const search = document.getElementById("node-search");
  function find(text) {
    const q = text.trim().toLowerCase();
    if (!q) { return null; }
    const ids = view.getIds();
    const exact = ids.find(function (id) { return data.panel[id].label.toLowerCase() === q; });
    return exact || ids.find(function (id) {
      const info = data.panel[id];
      return info.label.toLowerCase().includes(q) || (info.label_en || "").toLowerCase().includes(q);
    }) || null;
  }
  function focusOn(id) {
    network.selectNodes([id]);
    network.focus(id, { scale: 1.3, animation: { duration: 300 } });
    showPanel(id);
  }
  const feedback = document.getElementById("search-feedback");
  function lookFor() {
    const text = search.value.trim();
    if (!text) { feedback.textContent = ""; return; }
    const id = find(text);
    if (id) {
      focusOn(id);
      feedback.textContent = "找到 found: " + data.panel[id].label;
    } else {
      feedback.textContent = "图中没有匹配的节点 no node in this view matches “" + text + "”";
    }
  }
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { ev.preventDefault(); lookFor(); }
  });
  search.addEventListener("change", lookFor);
  window.rolkgFocus = focusOn;
})();
