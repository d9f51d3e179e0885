// A small reader for /openapi.json: each operation with its summary, request body fields and
// responses. Built from the document with textContent only; nothing is fetched from elsewhere.
"use strict";

(async () => {
  const root = document.getElementById("docs");
  const el = (tag, text, cls) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  };
  const spec = await (await fetch("/openapi.json")).json();
  const resolve = (schema) => {
    if (schema && schema.$ref) {
      return spec.components.schemas[schema.$ref.split("/").pop()] || {};
    }
    return schema || {};
  };
  const typeOf = (schema) => {
    schema = schema || {};
    if (schema.$ref) return schema.$ref.split("/").pop();
    if (schema.anyOf) return schema.anyOf.map(typeOf).join(" | ");
    if (schema.type === "array") return typeOf(schema.items) + "[]";
    return schema.type || "any";
  };
  const fields = (schema) => {
    const table = el("table");
    const head = el("tr");
    for (const h of ["field", "type", "required", "description"]) head.appendChild(el("th", h));
    table.appendChild(head);
    const required = new Set(schema.required || []);
    for (const [name, prop] of Object.entries(schema.properties || {})) {
      const row = el("tr");
      row.appendChild(el("td", name));
      row.appendChild(el("td", typeOf(prop)));
      row.appendChild(el("td", required.has(name) ? "yes" : "no"));
      row.appendChild(el("td", prop.description || ""));
      table.appendChild(row);
    }
    return table;
  };
  if (spec.info && spec.info.description) root.appendChild(el("p", spec.info.description));
  for (const [path, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const section = el("section", undefined, "msg bot");
      section.appendChild(el("h2", `${method.toUpperCase()} ${path}`));
      if (op.summary) section.appendChild(el("p", op.summary));
      if (op.description) section.appendChild(el("p", op.description));
      const body = op.requestBody && op.requestBody.content["application/json"];
      if (body) {
        section.appendChild(el("h3", "Request body (JSON)"));
        section.appendChild(fields(resolve(body.schema)));
      }
      section.appendChild(el("h3", "Responses"));
      const list = el("ul");
      for (const [code, response] of Object.entries(op.responses || {})) {
        const content = response.content && response.content["application/json"];
        const shape = content ? ` — ${typeOf(content.schema)}` : "";
        list.appendChild(el("li", `${code}: ${response.description || ""}${shape}`));
      }
      section.appendChild(list);
      root.appendChild(section);
    }
  }
  const schemas = (spec.components && spec.components.schemas) || {};
  root.appendChild(el("h2", "Schemas"));
  for (const [name, schema] of Object.entries(schemas)) {
    const section = el("section", undefined, "msg bot");
    section.appendChild(el("h3", name));
    section.appendChild(fields(schema));
    root.appendChild(section);
  }
})();
