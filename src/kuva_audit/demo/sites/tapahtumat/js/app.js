// Tiny "single-page app": renders the events view after a simulated API delay.
(function () {
  var events = [
    { title: 'Helsingin juhlaviikot: avajaiskonsertti', place: 'Kaisaniemen puisto', date: 'pe 15.8. klo 19' },
    { title: 'Taiteiden yö', place: 'Eri puolilla kaupunkia', date: 'to 21.8. klo 17' },
    { title: 'Lasten sirkuspäivä', place: 'Cirko, Sörnäinen', date: 'la 30.8. klo 11' }
  ];

  function render() {
    var header = document.getElementById('site-header');
    header.innerHTML =
      '<a class="brand" href="./"><img src="img/logo.svg" alt="" width="40" height="40"> Tapahtumat</a>' +
      '<nav aria-label="Päävalikko"><ul>' +
      '<li><a href="./" aria-current="page">Tapahtumat</a></li>' +
      '<li><a href="about.html">Tietoa palvelusta</a></li>' +
      '</ul></nav>';
    header.hidden = false;

    var items = events.map(function (e) {
      return '<li class="card"><h2>' + e.title + '</h2><p>' + e.place + '<br>' + e.date + '</p></li>';
    }).join('');
    document.getElementById('app').innerHTML =
      '<h1>Tapahtumat Helsingissä</h1>' +
      '<p>Löydä konsertit, näyttelyt ja muut tapahtumat Helsingistä.</p>' +
      '<div class="toolbar">' +
      // DEFECT (intended): icon-only button without an accessible name (button-name)
      '<button type="button" class="icon-button">' +
      '<svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 20 20">' +
      '<path d="M2 3h16l-6 7v6l-4 2v-8z" fill="currentColor"/></svg></button>' +
      '<span>3 tapahtumaa</span></div>' +
      '<ul class="event-list">' + items + '</ul>';

    var footer = document.getElementById('site-footer');
    footer.innerHTML = '<p>Tapahtumat on Helsingin kaupungin tapahtumakalenteri.</p>';
    footer.hidden = false;
  }

  setTimeout(render, 1000);
})();
