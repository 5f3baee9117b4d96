/**
 * End to end: `npm start` runs the whole of Spacelog, and real Chromium
 * plays a person in Google Chat on the page. The app is added to a space and
 * greets it, `/digest` shows the settings card, a click on it changes the
 * card in place, and an alert opens an incident space with its members and
 * the details. Ctrl-C then leaves nothing listening.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openBrowser,
  pageState,
  SCREENSHOTS,
  shot,
  startSpacelog,
  stillListening,
  type PageState,
  type RunningSpacelog,
} from './e2e-harness.js';

const WAIT = { timeout: 45_000 };
const ENGINEERING = 'spaces/AAAAengineering';
const DIRECT_MESSAGE = 'spaces/AAAAdmada';

describe('npm start, driven from Chromium', () => {
  let spacelog: RunningSpacelog;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let page: Page;
  let initial: PageState;

  beforeAll(async () => {
    spacelog = await startSpacelog(['--port', '0']);
    browser = await openBrowser();
    page = browser.page;
    initial = await pageState(spacelog);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await spacelog?.interrupt();
  });

  it('adds the app, shows /digest, changes a setting by a click and opens an incident', async () => {
    await page.goto(spacelog.url);
    await page.locator('body[data-ready="true"]').waitFor(WAIT);
    await page.locator(`[data-space="${ENGINEERING}"]`).click();

    await page.getByRole('button', { name: 'Add Spacelog' }).click();
    const welcome = page.locator('.message.from-app [data-card-id="welcome"]');
    await welcome.waitFor(WAIT);
    await expect(page.locator('.member.app').count()).resolves.toBe(1);
    await shot(page, '1-welcome');

    await page.getByLabel('Message').fill('/digest');
    await page.getByLabel('Message').press('Enter');
    const settings = page.locator('.message.from-app [data-card-id="digest-settings"]').last();
    await settings.waitFor(WAIT);
    const before = await settings.innerText();
    const cardMessage = await settings
      .locator('xpath=ancestor::li[@data-message]')
      .getAttribute('data-message');
    await shot(page, '2-digest-settings');

    await settings.locator('button.card-button').first().click();
    await page.waitForFunction(
      ([name, text]) => {
        const item = document.querySelector(`li[data-message="${name}"]`);
        const card = item?.querySelector('[data-card-id]');
        return card instanceof HTMLElement && card.innerText !== text;
      },
      [cardMessage, before] as const,
      WAIT,
    );
    await shot(page, '3-setting-changed');

    await page.getByRole('button', { name: 'Fire an alert' }).click();
    const known = initial.spaces.map((space) => space.name);
    const incident = page.locator(
      `[data-space]${known.map((name) => `:not([data-space="${name}"])`).join('')}`,
    );
    await incident.first().waitFor(WAIT);
    await incident.first().click();
    await page.locator('.member.app').waitFor(WAIT);
    await page.waitForFunction(
      () => document.querySelectorAll('.member:not(.app)').length >= 2,
      undefined,
      WAIT,
    );
    await page.locator('.timeline .message.from-app').first().waitFor(WAIT);
    await shot(page, '4-incident-space');
  }, 240_000);

  it('signs a person in through the consent page, in the add-on format', async () => {
    await page.goto(spacelog.url);
    await page.locator('body[data-ready="true"]').waitFor(WAIT);
    await page.getByLabel('Add-on').check();
    await page.locator(`[data-space="${DIRECT_MESSAGE}"]`).click();
    await page.getByRole('button', { name: 'Add Spacelog' }).click();
    await page.locator('.message.from-app [data-card-id="welcome"]').waitFor(WAIT);

    await page.getByLabel('Message').fill('/myspaces');
    await page.getByLabel('Message').press('Enter');
    const configure = page.getByRole('link', { name: 'Configure' });
    await configure.waitFor(WAIT);
    await shot(page, '5-sign-in-prompt');

    const [consent] = await Promise.all([page.context().waitForEvent('page'), configure.click()]);
    await consent.getByRole('button', { name: 'Allow' }).waitFor(WAIT);
    await consent.screenshot({ path: join(SCREENSHOTS, '6-consent.png') });
    await consent.getByRole('button', { name: 'Allow' }).click();
    await consent.getByRole('heading', { name: 'Configuration complete' }).waitFor(WAIT);
    await consent.close();
    await page.getByText('Configuration complete: you are signed in').waitFor(WAIT);

    const answers = page.locator('.timeline .message.from-app:not(.ephemeral)');
    const before = await answers.count();
    await page.getByLabel('Message').fill('/myspaces');
    await page.getByLabel('Message').press('Enter');
    await page.waitForFunction(
      ([selector, count]) => document.querySelectorAll(selector).length > count,
      ['.timeline .message.from-app:not(.ephemeral)', before] as const,
      WAIT,
    );
    await expect(configure.count()).resolves.toBe(1);
    await shot(page, '7-signed-in');
  }, 240_000);

  it('stops everything it started on Ctrl-C', async () => {
    const addresses = [
      spacelog.url,
      ...Object.values(initial.functions),
      ...Object.values(initial.emulators),
    ];
    expect(await stillListening(addresses)).toEqual(addresses);

    await browser.close();
    await spacelog.interrupt();

    expect(spacelog.output()).toContain('spacelog: stopped.');
    expect(await stillListening(addresses)).toEqual([]);
  }, 60_000);
});
