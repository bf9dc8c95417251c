// The pages' only script, served from our own origin: the Content-Security-Policy allows no inline
// script or event handler. A subscription URL is selected whole on focus, ready to copy.
document.addEventListener('focusin', (event) => {
  const target = event.target;
  if (target instanceof HTMLInputElement && target.hasAttribute('data-select-on-focus')) target.select();
});
