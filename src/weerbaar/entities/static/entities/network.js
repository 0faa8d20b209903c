// The network page: draws the graph with cytoscape (fcose layout), adds a node's neighbours
// on a click or with "Uitklappen" in the list (keyboard), and hides kinds with the checkboxes.
// The list below the drawing holds the same nodes and connections for screen readers and
// keyboard users. Data comes from data-graph and the JSON endpoint (strict CSP: no inline code).
(() => {
  const KINDS = {
    organisatie: ["#1a4480", "round-rectangle"],
    persoon: ["#a34700", "ellipse"],
    adres: ["#2e6b30", "diamond"],
    voertuig: ["#6b3fa0", "tag"],
    vaartuig: ["#005f73", "barrel"],
    signaal: ["#b00020", "triangle"],
    casus: ["#3d3d3d", "hexagon"],
    meer: ["#ffffff", "round-rectangle"],
  };
  const ORDER = Object.keys(KINDS);

  const graphStyle = () => [
    {
      selector: "node",
      style: {
        label: "data(label)",
        color: "#1b1b1b",
        "font-size": 11,
        "text-valign": "bottom",
        "text-margin-y": 4,
        "text-wrap": "ellipsis",
        "text-max-width": "150px",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "text-background-padding": "2px",
        "min-zoomed-font-size": 7,
        width: 22,
        height: 22,
      },
    },
    ...Object.entries(KINDS).map(([kind, [colour, shape]]) => ({
      selector: `node[kind = "${kind}"]`,
      style: { "background-color": colour, shape },
    })),
    {
      selector: 'node[kind = "meer"]',
      style: { "border-width": 2, "border-style": "dashed", "border-color": "#555555", width: 36, height: 18 },
    },
    { selector: "node.start", style: { "border-width": 4, "border-color": "#000000", width: 34, height: 34 } },
    { selector: "node.expanded", style: { "border-width": 2, "border-color": "#000000" } },
    { selector: "node:selected", style: { "overlay-color": "#ffbf47", "overlay-opacity": 0.6, "overlay-padding": 6 } },
    {
      selector: "edge",
      style: {
        width: 1.5,
        label: "data(label)",
        color: "#333333",
        "font-size": 9,
        "line-color": "#8c8c8c",
        "target-arrow-color": "#8c8c8c",
        "target-arrow-shape": "triangle",
        "curve-style": "bezier",
        "text-rotation": "autorotate",
        "text-background-color": "#ffffff",
        "text-background-opacity": 0.85,
        "min-zoomed-font-size": 8,
      },
    },
    { selector: ".hidden", style: { display: "none" } },
  ];

  const el = (tag, attributes = {}, text = "") => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    if (text) element.textContent = text;
    return element;
  };

  document.addEventListener("DOMContentLoaded", () => {
    const container = document.getElementById("network-graph");
    if (!container || typeof cytoscape === "undefined") return;
    const data = JSON.parse(container.dataset.graph);
    const networkUrl = container.dataset.networkUrl;
    const list = document.getElementById("network-list");
    const selected = document.getElementById("network-selected");
    const count = document.getElementById("network-count");
    const filters = [...document.querySelectorAll("[data-kind-filter]")];
    const nodes = new Map();
    const edges = new Map();
    const expanded = new Set([data.start]);
    const busy = new Set();
    const cy = cytoscape({ container, style: graphStyle(), minZoom: 0.15, maxZoom: 3 });
    const layoutName = cytoscape("layout", "fcose") ? "fcose" : "cose";

    const hiddenKinds = () => new Set(filters.filter((box) => !box.checked).map((box) => box.value));

    const merge = (graph, around) => {
      const origin = around ? cy.getElementById(around).position() : null;
      let added = 0;
      for (const node of graph.nodes) {
        if (nodes.has(node.id)) continue;
        nodes.set(node.id, node);
        added += 1;
        const position = origin ? { x: origin.x + Math.random() * 60 - 30, y: origin.y + Math.random() * 60 - 30 } : undefined;
        cy.add({ group: "nodes", data: { id: node.id, label: node.label, kind: node.kind }, position });
      }
      for (const edge of graph.edges) {
        const id = `${edge.source}|${edge.label}|${edge.target}`;
        if (edges.has(id)) continue;
        edges.set(id, edge);
        cy.add({ group: "edges", data: { id, source: edge.source, target: edge.target, label: edge.label } });
      }
      return added;
    };

    const layout = (initial) => {
      cy.layout({
        name: layoutName,
        animate: false,
        randomize: initial,
        fit: true,
        padding: 24,
        nodeDimensionsIncludeLabels: true,
        idealEdgeLength: 90,
        nodeRepulsion: 9000,
      }).run();
    };

    const applyFilter = () => {
      const hidden = hiddenKinds();
      cy.nodes().forEach((node) => {
        node.toggleClass("hidden", hidden.has(node.data("kind")) && node.id() !== data.start);
      });
      list.querySelectorAll("section[data-kind]").forEach((section) => {
        section.hidden = hidden.has(section.dataset.kind);
      });
    };

    const relations = () => {
      const found = new Map();
      for (const edge of edges.values()) {
        for (const [one, other] of [[edge.source, edge.target], [edge.target, edge.source]]) {
          const label = nodes.get(other)?.label ?? other;
          if (!found.has(one)) found.set(one, []);
          found.get(one).push(edge.label ? `${label} (${edge.label})` : label);
        }
      }
      return found;
    };

    const listItem = (node, connected) => {
      const item = el("li", { class: "utrecht-unordered-list__item", "data-node": node.id });
      item.append(node.url ? el("a", { class: "utrecht-link", href: node.url }, node.label) : node.label);
      if (node.detail) item.append(" ", el("span", { class: "wb-muted" }, node.detail));
      if (node.kind !== "meer" && node.id !== data.start && node.expand) {
        const here = networkUrl.replace("__sleutel__", encodeURIComponent(node.id));
        item.append(" · ", el("a", { class: "utrecht-link", href: here }, "netwerk vanaf hier"));
      }
      if (node.expand && !expanded.has(node.id)) {
        const button = el("button", { type: "button", class: "utrecht-button utrecht-button--subtle wb-network-expand" }, "Uitklappen");
        button.append(el("span", { class: "wb-visually-hidden" }, `: ${node.label}`));
        button.addEventListener("click", () => expand(node.id));
        item.append(" ", button);
      }
      if (connected) item.append(el("br"), el("span", { class: "wb-muted" }, `Verbonden met: ${connected.join("; ")}`));
      return item;
    };

    const renderList = () => {
      const connected = relations();
      const groups = new Map(ORDER.map((kind) => [kind, []]));
      for (const node of nodes.values()) (groups.get(node.kind) ?? groups.get("meer")).push(node);
      const sections = [];
      for (const [kind, members] of groups) {
        if (!members.length) continue;
        members.sort((a, b) => a.label.localeCompare(b.label, "nl"));
        const section = el("section", { class: "wb-network-group", "data-kind": kind });
        const heading = el("h3", { class: "utrecht-heading-3" });
        heading.append(el("span", { class: `wb-network-swatch wb-network-swatch--${kind}`, "aria-hidden": "true" }));
        heading.append(`${members[0].kind_label} (${members.length})`);
        const items = el("ul", { class: "utrecht-unordered-list" });
        for (const node of members) items.append(listItem(node, connected.get(node.id)));
        section.append(heading, items);
        sections.push(section);
      }
      list.replaceChildren(...sections);
      count.textContent = `${nodes.size} knopen, ${edges.size} verbindingen.`;
      applyFilter();
    };

    const show = (id, message = "") => {
      const node = nodes.get(id);
      if (!node) return;
      cy.elements(":selected").unselect();
      cy.getElementById(id).select();
      const line = el("p", { class: "utrecht-paragraph" });
      line.append(`${message ? `${message} ` : ""}Gekozen: `);
      line.append(node.url ? el("a", { class: "utrecht-link", href: node.url }, node.label) : node.label);
      line.append(` (${node.kind_label}${node.detail ? `, ${node.detail}` : ""})`);
      selected.replaceChildren(line);
    };

    const expand = async (id) => {
      const node = nodes.get(id);
      if (!node || !node.expand || expanded.has(id) || busy.has(id)) {
        show(id);
        return;
      }
      busy.add(id);
      selected.textContent = `Buren van ${node.label} ophalen…`;
      try {
        const response = await fetch(node.expand, { credentials: "same-origin", headers: { Accept: "application/json" } });
        if (!response.ok) throw new Error(String(response.status));
        const graph = await response.json();
        let around = id;
        if (node.kind === "meer") {
          around = graph.start;
          cy.getElementById(id).remove();
          nodes.delete(id);
          for (const [key, edge] of edges) if (edge.target === id || edge.source === id) edges.delete(key);
        } else {
          expanded.add(id);
          cy.getElementById(id).addClass("expanded");
        }
        const added = merge(graph, around);
        layout(false);
        renderList();
        show(around, `${added} ${added === 1 ? "knoop" : "knopen"} toegevoegd.`);
      } catch (error) {
        selected.textContent = "Ophalen is mislukt; probeer het opnieuw.";
      } finally {
        busy.delete(id);
      }
    };

    merge(data);
    cy.getElementById(data.start).addClass("start");
    layout(true);
    renderList();
    cy.on("tap", "node", (event) => expand(event.target.id()));
    filters.forEach((box) => box.addEventListener("change", applyFilter));
  });
})();
