// <jassari-signup>: newsletter sign-up widget rendered into an OPEN shadow root.
class JassariSignup extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `
      <style>
        .box { border: 2px solid #5a2a82; border-radius: 6px; padding: 1rem; }
        p { margin: 0 0 .75rem; }
        input { padding: .6rem; font: inherit; border: 2px solid #595959; border-radius: 4px; }
        button { padding: .6rem 1.2rem; font: inherit; font-weight: bold; color: #fff; background: #5a2a82; border: 2px solid #5a2a82; border-radius: 4px; cursor: pointer; }
      </style>
      <div class="box">
        <p>Tilaa Jässärin uutiskirje, niin kuulet ensimmäisenä uusista eduista.</p>
        <form>
          <!-- DEFECT (intended): input without a label, inside shadow DOM (label) -->
          <input type="email" name="email">
          <button type="submit">Tilaa</button>
        </form>
      </div>`;
    root.querySelector('form').addEventListener('submit', (e) => e.preventDefault());
  }
}
customElements.define('jassari-signup', JassariSignup);
