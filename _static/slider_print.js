// On paper a slider cannot move: each slider (book_utils.sliders) gets a
// strip of small multiples, its chart at the first, the default and the last
// slider position, drawn from the same precomputed frames. book.css shows the
// strip only in print, in place of the control and the live chart.
(function () {
  function strip(root) {
    var data = JSON.parse(root.querySelector("script[type='application/json']").textContent);
    var chart = root.querySelector(".bu-chart");
    var input = root.querySelector("input[type=range]");
    var last = data.frames.length - 1;
    var picks = [0, +input.getAttribute("value"), last].filter(function (v, i, all) {
      return all.indexOf(v) === i;
    });
    var figure = document.createElement("figure");
    figure.className = "bu-slider-print";
    var row = document.createElement("div");
    row.className = "bu-print-strip";
    picks.forEach(function (i) {
      var cell = document.createElement("div");
      cell.className = "bu-print-frame";
      var label = document.createElement("p");
      label.textContent = data.name + " = " + data.labels[i];
      var copy = chart.cloneNode(true);
      copy.removeAttribute("role");
      copy.setAttribute("aria-label", data.description + "（" + label.textContent + "）");
      root.buDrawFrame(copy, i);  // the slider's own drawing (book_utils.sliders)
      cell.appendChild(label);
      cell.appendChild(copy);
      row.appendChild(cell);
    });
    var caption = document.createElement("figcaption");
    caption.textContent = "スライダーの " + data.name + " を " +
      picks.map(function (i) { return data.labels[i]; }).join("，") +
      " にしたときのグラフ（ウェブ版ではスライダーで動かせます）";
    figure.appendChild(row);
    figure.appendChild(caption);
    // After the slider, not in it: the slider's own script and tests see only the live chart.
    root.parentNode.insertBefore(figure, root.nextSibling);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".bu-slider").forEach(strip);
  });
})();
