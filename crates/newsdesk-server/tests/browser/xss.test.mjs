// Untrusted text stays text: the XSS filter-evasion vectors of the OWASP
// cheat sheet (each made to set window.__xss instead of alert) are put in
// article titles, texts, outlet names and addresses, ingested through the
// API into an empty server ($NEWSDESK_XSS_URL), and every page that shows
// them is loaded in Chromium: nothing runs, no dialog opens, no element
// carries an event handler, no link is a javascript: one, and the only
// script is the page's own.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { chromium } from "playwright-core";

const BASE = process.env.NEWSDESK_XSS_URL;
const ARTIFACTS = process.env.ARTIFACTS || "artifacts";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
if (!BASE) throw new Error("NEWSDESK_XSS_URL is not set: run scripts/browser-tests");
mkdirSync(ARTIFACTS, { recursive: true });

const RUN = "window.__xss=1";
const VECTORS = [
  `<script>${RUN}</script>`,
  `<SCRIPT SRC=data:text/javascript,${RUN}></SCRIPT>`,
  `<img src=x onerror="${RUN}">`,
  `<IMG SRC=JaVaScRiPt:${RUN}>`,
  `<IMG """><SCRIPT>${RUN}</SCRIPT>">`,
  `<svg onload="${RUN}">`,
  `<svg/onload=${RUN}>`,
  `<svg><script>${RUN}</script></svg>`,
  `"><script>${RUN}</script>`,
  `'><img src=x onerror=${RUN}>`,
  `</title><script>${RUN}</script>`,
  `</textarea><script>${RUN}</script>`,
  `<body onload=${RUN}>`,
  `<iframe src="javascript:window.top.__xss=1"></iframe>`,
  `<a href="javascript:${RUN}">click</a>`,
  `javascript:${RUN}`,
  `<details open ontoggle=${RUN}>`,
  `<input autofocus onfocus=${RUN}>`,
  `<marquee onstart=${RUN}>`,
  `<object data="javascript:${RUN}">`,
  `<embed src="javascript:${RUN}">`,
  `<style>@import 'javascript:${RUN}';</style>`,
  `<link rel=stylesheet href="javascript:${RUN}">`,
  `<meta http-equiv="refresh" content="0;url=javascript:${RUN}">`,
  `<base href="javascript:${RUN}//">`,
  `<div style="background:url(javascript:${RUN})">`,
  `<math><mtext><table><mglyph><style><img src=x onerror=${RUN}>`,
  `<scr<script>ipt>${RUN}</scr</script>ipt>`,
  `%3Cscript%3E${RUN}%3C/script%3E`,
  `&lt;script&gt;${RUN}&lt;/script&gt;`,
  `<![CDATA[<script>${RUN}</script>]]>`,
  `<x onclick=${RUN}>click me`,
  `" onmouseover="${RUN}`,
  `\u003cscript\u003e${RUN}\u003c/script\u003e`,
  `<form action="javascript:${RUN}"><button>go</button></form>`,
];

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  // One article per vector: the vector in the title, the outlet, the
  // address and twice in the text (each article's words differ, so that
  // they are not folded as copies).
  const lines = VECTORS.map((v, i) =>
    JSON.stringify({
      id: `xss-${i}`,
      title: `Report ${i} ${v}`,
      source: `Outlet ${i} ${v}`,
      url: i % 2 ? `javascript:${RUN}` : `https://example.org/${i}?q=${encodeURIComponent(v)}`,
      date: "2026-12-07",
      text:
        `The council of town ${i} met on Monday ${v} and voted on item ${i * 7}. ` +
        `Mayor Ada Quill${i} said "${v}" before the vote. ` +
        `Residents of district ${i} numbered ${100 + i} people, officials said ${v}.`,
    }),
  );
  const response = await fetch(BASE + "/api/v1/articles", {
    method: "POST",
    headers: { "content-type": "application/x-ndjson" },
    body: lines.join("\n") + "\n",
  });
  assert.equal(response.status, 200, await response.text());
});
after(async () => {
  await browser?.close();
});

/** Loads `path` and checks that nothing of the payloads became markup. */
async function inert(path) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const dialogs = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  await page.goto(BASE + path, { waitUntil: "load" });
  await page.waitForTimeout(50);
  const found = await page.evaluate(() => {
    const handlers = [];
    for (const el of document.querySelectorAll("*")) {
      for (const a of el.attributes) {
        if (a.name.toLowerCase().startsWith("on")) handlers.push(`${el.tagName} ${a.name}`);
      }
    }
    return {
      xss: window.__xss,
      handlers,
      jsLinks: [...document.querySelectorAll("a[href], iframe[src], form[action], object[data], embed[src]")]
        .map((e) => e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("action") || e.getAttribute("data"))
        .filter((h) => /^\s*javascript:/i.test(h)),
      scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
      injected: document.querySelectorAll("main img, main iframe, main svg:not(.coverage):not(.map), main object, main embed, main marquee, main details[ontoggle], main input[autofocus]").length,
    };
  });
  assert.equal(found.xss, undefined, `${path}: a payload ran`);
  assert.deepEqual(dialogs, [], `${path}: a dialog opened`);
  assert.deepEqual(found.handlers, [], `${path}: event handlers in the page`);
  assert.deepEqual(found.jsLinks, [], `${path}: javascript: links`);
  assert.deepEqual(found.scripts, ["/assets/app.js"], `${path}: scripts`);
  assert.equal(found.injected, 0, `${path}: elements from a payload`);
  await context.close();
  return page;
}

test("payloads in titles, texts, outlets and addresses stay text on every page", async () => {
  const stories = await (await fetch(BASE + "/api/v1/stories?limit=200")).json();
  assert.ok(stories.total >= 1);
  await inert("/");
  for (const s of stories.stories) {
    await inert(`/stories/${s.id}`);
  }
  for (let i = 0; i < VECTORS.length; i++) {
    await inert(`/articles/xss-${i}?hl=0-40`);
  }
  // The payloads as they come back in a URL: the search box, the facets,
  // the notices of the story page.
  const first = stories.stories[0].id;
  for (const v of VECTORS.slice(0, 12)) {
    const q = encodeURIComponent(v);
    await inert(`/search?q=${q}&entity=${q}&outlet=${q}`);
    await inert(`/stories/${first}?done=${q}&error=${q}`);
  }
});

test("the page of a story full of payloads looks like text", async () => {
  const stories = await (await fetch(BASE + "/api/v1/stories?limit=1&sort=articles")).json();
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/stories/${stories.stories[0].id}`);
  await page.screenshot({ path: `${ARTIFACTS}/xss-story.png`, fullPage: true });
  const text = await page.textContent("main");
  assert.ok(text.includes("<script>"), "the payloads are shown as the text they are");
  await context.close();
});
