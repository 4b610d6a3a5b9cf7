// newsdesk's page, enhanced: live updates, keyboard navigation, and
// "what changed since you last looked". Every page works without it.
// Text from the server goes into the page as text (textContent) or as the
// server's own escaped HTML, never as markup built here from data.
"use strict";

(function () {
  const main = document.querySelector("main");

  // The status line is inside <main>, which a refresh replaces: find it
  // each time.
  function say(text) {
    const status = document.getElementById("live-status");
    if (status) status.textContent = text;
  }

  // Live updates: the story log as Server-Sent Events. The browser
  // reconnects by itself and sends Last-Event-ID, so nothing is missed.
  const KINDS = ["story.new", "story.grew", "story.relinked", "story.merged",
    "articles.updated", "correction.made", "correction.undone"];
  let pending = null;
  let lastKind = "";

  async function refresh() {
    pending = null;
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const html = await response.text();
      const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("main");
      if (!fresh || !main) return;
      const focusedId = document.activeElement && document.activeElement.id;
      main.replaceChildren(...Array.from(fresh.childNodes).map((n) => document.importNode(n, true)));
      if (focusedId) {
        const again = document.getElementById(focusedId);
        if (again) again.focus();
      }
      setUpStories();
      const when = new Date().toLocaleTimeString();
      say("Updated at " + when + " (" + lastKind.replace(".", " ") + ")");
      document.body.dataset.updated = String(Number(document.body.dataset.updated || "0") + 1);
    } catch (e) {
      say("Live updates paused: " + e.message);
    }
  }

  if (window.EventSource && main && main.dataset.live === "on") {
    const source = new EventSource("/api/v1/live");
    for (const kind of KINDS) {
      source.addEventListener(kind, (event) => {
        lastKind = kind;
        document.body.dataset.lastEvent = event.lastEventId;
        if (!pending) pending = setTimeout(refresh, 300);
      });
    }
    source.addEventListener("open", () => {
      document.body.dataset.live = "open";
      say("Live: updates appear as they arrive");
    });
    source.addEventListener("error", () => say("Live updates reconnecting…"));
  }

  // Keyboard: j/k move through the stories, Enter opens one, / searches.
  let current = -1;
  function stories() {
    return Array.from(document.querySelectorAll("li.story"));
  }
  function setUpStories() {
    current = -1;
  }
  function select(i) {
    const list = stories();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, i));
    list.forEach((li, n) => li.classList.toggle("current", n === current));
    list[current].focus();
  }
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) return;
    if (event.key === "/") {
      const search = document.getElementById("search-q");
      if (search) {
        event.preventDefault();
        search.focus();
      }
    } else if (event.key === "j") {
      select(current + 1);
    } else if (event.key === "k") {
      select(current - 1);
    } else if (event.key === "Enter" && current >= 0) {
      const link = stories()[current].querySelector("a");
      if (link) link.click();
    }
  });

  // What changed since you last looked at this story.
  const since = document.getElementById("since");
  if (since && main) {
    const story = main.dataset.story;
    const now = main.dataset.now;
    const key = "newsdesk:seen:" + story;
    const seen = window.localStorage ? localStorage.getItem(key) : null;
    if (seen) {
      fetch("/api/v1/changes?story=" + encodeURIComponent(story) + "&since=" + encodeURIComponent(seen))
        .then((r) => (r.ok ? r.json() : []))
        .then((changes) => {
          const list = document.createElement("ul");
          list.className = "changes";
          const add = (text) => {
            const li = document.createElement("li");
            li.textContent = text;
            list.appendChild(li);
          };
          for (const c of changes) {
            if (c.new_articles.length) add(c.new_articles.length + " new article(s)");
            if (c.new_outlets.length) add("New outlets: " + c.new_outlets.join(", "));
            for (const f of c.figures) add("Figure " + f.status + ": " + f.concept);
            for (const q of c.quotes) add("New quote" + (q.speaker ? " from " + q.speaker : "") + ": " + q.text);
            if (c.merged.length) add("Stories merged in: " + c.merged.join(", "));
            if (c.corrections.length) add(c.corrections.length + " correction(s)");
          }
          const heading = document.createElement("p");
          heading.textContent = list.children.length
            ? "Since you last looked (" + seen + "):"
            : "Nothing changed since you last looked (" + seen + ").";
          since.replaceChildren(heading, list);
        })
        .catch(() => {});
    }
    if (window.localStorage && now) localStorage.setItem(key, now);
  }
})();
