// The web chat. Everything the user typed goes into the page with textContent only; answers
// are the server's "html", rendered from Markdown with raw HTML escaped, and the page's CSP
// runs no script but this file. The conversation state lives here and goes back with each
// question: the server remembers nothing.
"use strict";

(() => {
  const log = document.getElementById("log");
  const chips = document.getElementById("chips");
  const form = document.getElementById("ask");
  const input = document.getElementById("text");
  const send = document.getElementById("send");
  let state = null;
  const asked = [];
  let recall = 0;

  function add(kind, build) {
    const div = document.createElement("div");
    div.className = "msg " + kind;
    build(div);
    log.appendChild(div);
    div.scrollIntoView({ block: "end" });
    return div;
  }

  function showUser(text) {
    add("user", (div) => {
      div.setAttribute("aria-label", "You said");
      div.textContent = text;
    });
  }

  function showError(text) {
    add("bot error", (div) => { div.textContent = text; });
  }

  function copyText(text, button) {
    const done = () => {
      button.textContent = "Copied";
      setTimeout(() => { button.textContent = "Copy"; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, () => fallbackCopy(text, done));
    } else {
      fallbackCopy(text, done);
    }
  }

  function fallbackCopy(text, done) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* nothing to copy with */ }
    area.remove();
  }

  function showReply(reply) {
    showChips(reply.suggestions || []);  // first, so the scroll to the answer sees the final layout
    add("bot", (div) => {
      div.dataset.intent = reply.intent;
      const answer = document.createElement("div");
      answer.className = "answer";
      answer.innerHTML = reply.html;  // the server's safe rendering, never user text
      div.appendChild(answer);
      const tools = document.createElement("div");
      tools.className = "tools";
      const copy = document.createElement("button");
      copy.type = "button";
      copy.className = "copy quiet";
      copy.textContent = "Copy";
      copy.setAttribute("aria-label", "Copy this answer");
      copy.addEventListener("click", () => copyText(reply.text, copy));
      tools.appendChild(copy);
      div.appendChild(tools);
    });
  }

  function showChips(suggestions) {
    chips.replaceChildren();
    for (const text of suggestions) {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "chip";
      chip.textContent = text;
      chip.addEventListener("click", () => ask(text));
      chips.appendChild(chip);
    }
  }

  async function post(text, withState) {
    const response = await fetch("/v1/ask", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: text, state: withState }),
    });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (!response.ok) {
      const detail = body && typeof body.detail === "string" ? body.detail : response.statusText;
      throw new Error(`The server could not answer (${response.status}): ${detail}`);
    }
    return body;
  }

  async function ask(text) {
    text = text.trim();
    if (!text) return;
    showUser(text);
    asked.push(text);
    recall = asked.length;
    input.value = "";
    send.disabled = true;
    try {
      const body = await post(text, state);
      state = body.state;
      showReply(body.reply);
    } catch (err) {
      showError(err instanceof Error ? err.message : String(err));
    } finally {
      send.disabled = false;
      input.focus();
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ask(input.value);
  });

  input.addEventListener("keydown", (event) => {
    // Up recalls earlier questions (as in a shell) while the caret is at the start.
    if (event.key === "ArrowUp" && asked.length && input.selectionStart === 0) {
      event.preventDefault();
      recall = Math.max(0, recall - 1);
      input.value = asked[recall];
    } else if (event.key === "ArrowDown" && recall < asked.length) {
      event.preventDefault();
      recall += 1;
      input.value = recall < asked.length ? asked[recall] : "";
    }
  });

  document.getElementById("reset").addEventListener("click", () => {
    state = null;
    log.replaceChildren();
    greet();
  });

  // The welcome and the first chips are the bot's own greeting; its state is not kept, so the
  // conversation starts fresh with the first real question.
  async function greet() {
    try {
      const body = await post("hello", null);
      showReply(body.reply);
    } catch (err) {
      showError(err instanceof Error ? err.message : String(err));
    }
  }
  greet();
})();
