// The X-ray viewer: two dwv panes side by side (compare two dates), each with
// window/level, zoom, pan and a ruler. The images come from same-origin routes that check
// who is asking (the session's cookie goes with each request); nothing is public.
import {App, AppOptions, ToolConfig, ViewConfig} from "dwv";

const TOOLS = {
  WindowLevel: new ToolConfig(),
  ZoomAndPan: new ToolConfig(),
  Draw: new ToolConfig(["Ruler"]),
};

function pane(root) {
  const holder = root.querySelector("[data-xray-layer]");
  const app = new App();
  const options = new AppOptions({"*": [new ViewConfig(holder.id)]});
  options.tools = TOOLS;
  app.init(options);
  let tool = "WindowLevel";
  const status = root.querySelector("[data-xray-status]");
  app.addEventListener("load", () => {
    app.setTool(tool);
    if (tool === "Draw") app.setToolFeatures({shapeName: "Ruler"});
    if (status) status.textContent = "";
    root.dataset.loaded = "true";
  });
  app.addEventListener("error", () => {
    if (status) status.textContent = status.dataset.failed || "!";
  });
  return {
    load(url) {
      root.dataset.loaded = "false";
      app.reset();
      app.loadURLs([url]);
    },
    use(name) {
      tool = name;
      app.setTool(name);
      if (name === "Draw") app.setToolFeatures({shapeName: "Ruler"});
    },
    reset() {
      app.resetLayout();
    },
  };
}

function start(viewer) {
  const panes = [...viewer.querySelectorAll("[data-xray-pane]")].map((root) => {
    const one = pane(root);
    const choice = root.querySelector("select[data-xray-choice]");
    if (choice && choice.value) one.load(choice.value);
    choice?.addEventListener("change", () => one.load(choice.value));
    return one;
  });
  viewer.querySelectorAll("button[data-xray-tool]").forEach((button) => {
    button.addEventListener("click", () => {
      viewer.querySelectorAll("button[data-xray-tool]").forEach((b) => b.setAttribute("aria-pressed", "false"));
      button.setAttribute("aria-pressed", "true");
      panes.forEach((one) => one.use(button.dataset.xrayTool));
    });
  });
  viewer.querySelector("button[data-xray-reset]")?.addEventListener("click", () => {
    panes.forEach((one) => one.reset());
  });
}

document.querySelectorAll("[data-xray-viewer]").forEach(start);
