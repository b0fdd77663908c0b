customElements.define('kuva-search', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<form class="search"><input type="text" name="q"><button>Search</button></form>';
  }
});
