// The desk's web page driven end to end in Debian's Chromium, on a server
// that holds the seeds (scripts/browser-tests starts it): front page →
// story → citation → the cited sentence highlighted in its article → a
// correction → the open page updates by Server-Sent Events. Screenshots go
// to $ARTIFACTS; every page is checked with axe-core.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const BASE = process.env.NEWSDESK_URL;
const ARTIFACTS = process.env.ARTIFACTS || "artifacts";
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
if (!BASE) throw new Error("NEWSDESK_URL is not set: run scripts/browser-tests");
mkdirSync(ARTIFACTS, { recursive: true });

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

let browser;
before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
});
after(async () => {
  await browser?.close();
});

async function newPage(options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.errors = errors;
  return page;
}

/** Runs axe-core on the page; fails on a serious or critical violation. */
async function accessible(page, name) {
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join("; ")})`),
    [],
    `${name}: accessibility violations`,
  );
}

async function api(path, options = {}) {
  const response = await fetch(BASE + path, options);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** The story the seeds make: the largest. */
async function seedStory() {
  const { body } = await api("/api/v1/stories?sort=articles");
  assert.ok(body.stories.length >= 1, "the seeds make a story");
  return body.stories[0];
}

test("front page → story → citation → highlighted sentence", async () => {
  const page = await newPage();
  await page.goto(BASE + "/");
  await page.waitForSelector("li.story");
  await page.screenshot({ path: `${ARTIFACTS}/front.png`, fullPage: true });
  await accessible(page, "front page");
  const story = await seedStory();
  await page.click(`li.story[data-story="${story.id}"] h2 a`);
  await page.waitForSelector("div.brief p");
  assert.equal(await page.textContent("h1"), story.title);
  // The coverage chart and the fact table are there.
  assert.ok(await page.isVisible("svg.coverage"));
  assert.ok((await page.$$("table tbody tr")).length > 0, "a timeline or fact row");
  await page.screenshot({ path: `${ARTIFACTS}/story.png`, fullPage: true });
  await accessible(page, "story page");

  // The first citation of the brief opens its sentence in its article.
  const sentence = await page.$eval("div.brief p", (p) => p.firstChild.textContent.trim());
  const cite = await page.$("div.brief a.cite");
  assert.ok(cite, "the brief cites its sources");
  await Promise.all([page.waitForURL(/\/articles\//), cite.click()]);
  const mark = await page.waitForSelector("mark#hl");
  const marked = (await mark.textContent()).trim();
  assert.ok(marked.length > 20, `a sentence is highlighted: ${marked}`);
  assert.ok(await mark.isVisible());
  // The mark holds the cited evidence: it shares words with the sentence.
  const words = (s) => new Set(s.toLowerCase().match(/[a-z]{5,}/g) || []);
  const shared = [...words(marked)].filter((w) => words(sentence).has(w));
  assert.ok(shared.length >= 2, `the highlight (${marked}) supports the sentence (${sentence})`);
  await page.screenshot({ path: `${ARTIFACTS}/article-highlight.png` });
  await accessible(page, "article page");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a correction made elsewhere updates the open story page by SSE", async () => {
  const story = await seedStory();
  const page = await newPage();
  await page.goto(`${BASE}/stories/${story.id}`);
  await page.waitForFunction(() => document.body.dataset.live === "open");
  const report = (await api(`/api/v1/stories/${story.id}`)).body;
  const person = report.entities.find((e) => e.kind === "person") || report.entities[0];
  const renamed = "Renamed By Test " + Date.now();
  const made = await api("/api/v1/corrections", {
    method: "POST",
    headers: { "content-type": "application/json", "if-match": `"${story.version}"` },
    body: JSON.stringify({ by: "browser test", change: { kind: "rename_entity", entity: person.name, to: renamed } }),
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  // The open page receives the event and shows the new name, unreloaded.
  await page.waitForFunction(() => Number(document.body.dataset.updated || "0") >= 1, null, { timeout: 15000 });
  await page.waitForSelector(`text=${renamed}`);
  assert.match(await page.textContent("#live-status"), /Updated/);
  await page.screenshot({ path: `${ARTIFACTS}/story-after-correction.png`, fullPage: true });
  // Undone: the page follows again.
  const undone = await api(`/api/v1/corrections/${made.body.correction.id}`, { method: "DELETE" });
  assert.equal(undone.status, 200);
  await page.waitForFunction(() => Number(document.body.dataset.updated || "0") >= 2, null, { timeout: 15000 });
  assert.equal(await page.$(`text=${renamed}`), null);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test("a correction from the story page's form is made and shown", async () => {
  const story = await seedStory();
  const page = await newPage();
  await page.goto(`${BASE}/stories/${story.id}`);
  const form = page.locator("form.correct", { has: page.locator('input[name="kind"][value="rename_entity"]') });
  const entity = await form.locator('select[name="entity"] option').first().getAttribute("value");
  await form.locator('input[name="to"]').fill(entity + " (checked)");
  await form.locator('input[name="by"]').fill("browser test");
  await Promise.all([page.waitForURL(/done=/), form.locator("button").click()]);
  assert.match(await page.textContent("p.notice"), /Correction \d+ made/);
  // Undo it through the API, so that the next test sees the seeds as they were.
  const list = (await api("/api/v1/corrections")).body;
  const last = list[list.length - 1];
  assert.equal((await api(`/api/v1/corrections/${last.id}`, { method: "DELETE" })).status, 200);
  await page.context().close();
});

test("search with facets, keyboard navigation, 360 px in dark mode", async () => {
  const page = await newPage({ viewport: { width: 360, height: 780 }, colorScheme: "dark" });
  await page.goto(BASE + "/");
  await page.waitForSelector("li.story");
  // j selects the first story, Enter opens it.
  await page.keyboard.press("j");
  await Promise.all([page.waitForURL(/\/stories\//), page.keyboard.press("Enter")]);
  // Readable at 360 px: nothing wider than the screen.
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 361, `the story page is ${width} px wide at 360`);
  await page.screenshot({ path: `${ARTIFACTS}/story-360-dark.png`, fullPage: true });
  await accessible(page, "story page, 360 px, dark");
  // / focuses the search box; a search shows facets that filter.
  await page.goto(BASE + "/");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-q");
  await page.keyboard.type("Kabul");
  await Promise.all([page.waitForURL(/\/search\?/), page.keyboard.press("Enter")]);
  const outlets = page.locator('nav[aria-label="Outlet"] a');
  assert.ok((await outlets.count()) >= 1, "an outlet facet");
  const first = await outlets.first().textContent();
  await Promise.all([page.waitForURL(/outlet=/), outlets.first().click()]);
  const shown = await page.locator("main ol > li").count();
  assert.ok(shown >= 1);
  for (const meta of await page.locator("main ol > li span.muted").first().allTextContents()) {
    assert.ok(meta.includes(first), `${meta} is from ${first}`);
  }
  await page.screenshot({ path: `${ARTIFACTS}/search-360-dark.png`, fullPage: true });
  await accessible(page, "search page, 360 px, dark");
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
