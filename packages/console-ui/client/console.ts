// Entry of the console's browser script: draws the charts a page embeds, ticks its countdowns, asks before
// confirmed actions and keeps the page live over server-sent events. The HTML comes rendered from the
// validator with the current state; nothing here is needed to read it, and nothing here polls.

import { renderCharts } from './charts.js';
import { startCountdowns } from './countdowns.js';
import { wireForms } from './forms.js';
import { startLive } from './live.js';

function main(): void {
  renderCharts(document);
  startCountdowns(document);
  wireForms(document);
  startLive(document, (root) => renderCharts(root));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
else main();
