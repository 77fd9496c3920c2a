// sphinx-togglebutton adds its buttons in the browser, after the page's HTML
// has been written, with an English label for screen readers ("Toggle hidden
// content"). On a Japanese page the label says what the button opens.
(function () {
  function localise() {
    document.querySelectorAll('button.toggle-button[aria-label="Toggle hidden content"]').forEach(function (button) {
      var box = button.closest(".admonition");
      var isSolution = box && box.classList.contains("solution");
      button.setAttribute("aria-label", isSolution ? "解答の表示・非表示を切り替える" : "内容の表示・非表示を切り替える");
    });
  }
  // togglebutton.js builds its buttons on DOMContentLoaded; run after it.
  document.addEventListener("DOMContentLoaded", function () {
    setTimeout(localise, 0);
  });
})();
