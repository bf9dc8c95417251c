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
// The approval queue: "all of this week" ticks (or clears) the week's posts, and is ticked itself
// only while all of them are. Without script it sends the whole week by itself.
document.addEventListener('change', (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement) || target.type !== 'checkbox') return;
  const week = target.getAttribute('data-select-week') ?? target.getAttribute('data-week');
  if (!week) return;
  const posts = [...document.querySelectorAll(`input[type=checkbox][data-week="${CSS.escape(week)}"]`)];
  const all = document.querySelector(`input[type=checkbox][data-select-week="${CSS.escape(week)}"]`);
  if (target === all) for (const post of posts) post.checked = all.checked;
  else if (all) all.checked = posts.every((post) => post.checked);
});
