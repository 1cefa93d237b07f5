// Forms: a form with `data-confirm` asks before it is sent (re-scores, rule changes, the public board), and
// the one-time sign-in form (`data-auto-submit`) sends itself so the link in the terminal signs in at once.

/** Wires confirmations on the document (delegated, so forms swapped in later are covered). */
export function wireForms(root: Document): void {
  root.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const question = form.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
  const auto = root.querySelector<HTMLFormElement>('form[data-auto-submit]');
  auto?.requestSubmit();
}
