/**
 * End to end without the emulators: `npm start -- --in-memory` uses the
 * in-memory event log and in-process Pub/Sub delivery. Interactions over
 * HTTP and over the interactions topic are answered, an alert opens an
 * incident space, and Ctrl-C leaves nothing listening.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openBrowser,
  pageState,
  shot,
  startSpacelog,
  stillListening,
  type PageState,
  type RunningSpacelog,
} from './e2e-harness.js';

const WAIT = { timeout: 45_000 };

describe('npm start --in-memory, driven from Chromium', () => {
  let spacelog: RunningSpacelog;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;
  let initial: PageState;

  beforeAll(async () => {
    spacelog = await startSpacelog(['--port', '0', '--in-memory']);
    browser = await openBrowser();
    page = browser.page;
    initial = await pageState(spacelog);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await spacelog?.interrupt();
  });

  it('says which mode it uses and starts no emulator', () => {
    expect(spacelog.output()).toContain('Event log: in memory (--in-memory).');
    expect(spacelog.output()).toContain('Pub/Sub: in-process delivery (--in-memory).');
    expect(initial.emulators).toEqual({});
  });

  it('answers over HTTP and over Pub/Sub, and opens an incident space', async () => {
    await page.goto(spacelog.url);
    await page.locator('body[data-ready="true"]').waitFor(WAIT);
    await page.getByLabel('You are').selectOption({ label: 'Grace Hopper' });
    await page.locator('[data-space="spaces/AAAAoperations"]').click();
    await page.getByRole('button', { name: 'Add Spacelog' }).click();
    await page.locator('.message.from-app [data-card-id="welcome"]').waitFor(WAIT);

    await page.getByLabel('Deliver via Pub/Sub').check();
    const answers = page.locator('.timeline .message.from-app');
    const before = await answers.count();
    await page.getByLabel('Message').fill('/help');
    await page.getByLabel('Message').press('Enter');
    await page.waitForFunction(
      (count) => document.querySelectorAll('.timeline .message.from-app').length > count,
      before,
      WAIT,
    );
    await page.getByText(/Pub\/Sub message \d+/).waitFor(WAIT);

    await page.getByRole('button', { name: 'Fire an alert' }).click();
    const known = initial.spaces.map((space) => space.name);
    const incident = page.locator(
      `[data-space]${known.map((name) => `:not([data-space="${name}"])`).join('')}`,
    );
    await incident.first().click(WAIT);
    await page.locator('.member.app').waitFor(WAIT);
    await page.locator('.timeline .message.from-app').first().waitFor(WAIT);
    await shot(page, 'in-memory-incident');
  }, 240_000);

  it('stops everything it started on Ctrl-C', async () => {
    const addresses = [spacelog.url, ...Object.values(initial.functions)];
    expect(await stillListening(addresses)).toEqual(addresses);

    await browser.close();
    await spacelog.interrupt();

    expect(spacelog.output()).toContain('spacelog: stopped.');
    expect(await stillListening(addresses)).toEqual([]);
  }, 60_000);
});
