// Flash sales: <span data-countdown="ISO time" data-started="text"> counts down to the
// start each second, then asks for a reload (the server decides whether it started).
function tick() {
  for (const element of document.querySelectorAll("[data-countdown]")) {
    const left = Math.floor((Date.parse(element.dataset.countdown) - Date.now()) / 1000);
    if (left <= 0) {
      element.textContent = element.dataset.started;
      continue;
    }
    const hours = Math.floor(left / 3600);
    const minutes = String(Math.floor((left % 3600) / 60)).padStart(2, "0");
    const seconds = String(left % 60).padStart(2, "0");
    element.textContent = `${hours}:${minutes}:${seconds}`;
  }
}
tick();
setInterval(tick, 1000);
