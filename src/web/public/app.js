// The pages' only script, served from our own origin: the Content-Security-Policy allows no inline
// script or event handler. Everything here is an extra: every page works without it.
// A subscription URL is selected whole on focus, ready to copy.
document.addEventListener('focusin', (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.hasAttribute('data-select-on-focus')) target.select();
});
// The language switcher applies a choice at once (without script, its button does).
document.addEventListener('change', (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.hasAttribute('data-submit-on-change') && target.form) target.form.requestSubmit();
});
