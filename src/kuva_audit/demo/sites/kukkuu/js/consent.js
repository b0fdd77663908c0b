// Cookie consent: show the banner unless kuva_demo_consent=1 is set; accept sets it and removes the banner.
(function () {
  var banner = document.getElementById('cookie-banner');
  if (!banner) return;
  if (/(?:^|;\s*)kuva_demo_consent=1(?:;|$)/.test(document.cookie)) {
    banner.remove();
    return;
  }
  banner.hidden = false;
  document.getElementById('cookie-accept').addEventListener('click', function () {
    document.cookie = 'kuva_demo_consent=1; path=/; max-age=31536000; SameSite=Lax';
    banner.remove();
  });
})();
