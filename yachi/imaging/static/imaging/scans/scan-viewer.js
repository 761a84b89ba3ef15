// The scan viewer: two panes side by side, each a visit's upper and lower jaw (GLB from
// same-origin routes that check who asks), the cameras linked so that both turn and zoom
// together when comparing before and after.
import * as THREE from "three";
import {GLTFLoader} from "three/addons/loaders/GLTFLoader.js";
import {frame, pressed, stage} from "./common.js";

const MATERIAL = new THREE.MeshStandardMaterial({color: 0xf2eadc, roughness: 0.55, metalness: 0, side: THREE.DoubleSide});
const loader = new GLTFLoader();

function pane(root, choices) {
  const view = stage(root.querySelector("[data-scan-canvas]"));
  const status = root.querySelector("[data-scan-status]");
  const group = new THREE.Group();
  view.scene.add(group);
  const jaws = {upper: null, lower: null};
  let shown = "both";
  const apply = () => {
    for (const [jaw, mesh] of Object.entries(jaws)) if (mesh) mesh.visible = shown === "both" || shown === jaw;
    view.draw();
  };
  const load = async (index) => {
    root.dataset.loaded = "false";
    status.textContent = status.dataset.loading;
    group.clear();
    jaws.upper = jaws.lower = null;
    const choice = choices[index] || {};
    try {
      for (const jaw of ["upper", "lower"]) {
        if (!choice[jaw]) continue;
        const gltf = await loader.loadAsync(choice[jaw]);
        gltf.scene.traverse((node) => {
          if (node.isMesh) {
            node.geometry.computeVertexNormals();
            node.material = MATERIAL;
          }
        });
        gltf.scene.name = jaw;
        jaws[jaw] = gltf.scene;
        group.add(gltf.scene);
      }
      frame(view, group, 0.25);
      apply();
      status.textContent = "";
      root.dataset.loaded = "true";
    } catch (error) {
      status.textContent = status.dataset.failed;
      root.dataset.loaded = "failed";
    }
  };
  return {view, load, show(jaw) { shown = jaw; apply(); }, reset() { frame(view, group, 0.25); }};
}

function start(viewer) {
  const choices = JSON.parse(document.getElementById("scan-choices").textContent);
  const link = viewer.querySelector("[data-scan-link]");
  const panes = [...viewer.querySelectorAll("[data-scan-pane]")].map((root) => {
    const one = pane(root, choices);
    const select = root.querySelector("[data-scan-choice]");
    one.load(Number(select.value));
    select.addEventListener("change", () => one.load(Number(select.value)));
    return one;
  });
  // Linked cameras: whichever pane moves, the other takes the same place and target.
  let syncing = false;
  panes.forEach((one) => {
    one.view.controls.addEventListener("change", () => {
      if (syncing || !link.checked) return;
      syncing = true;
      for (const other of panes) {
        if (other === one) continue;
        other.view.camera.position.copy(one.view.camera.position);
        other.view.camera.quaternion.copy(one.view.camera.quaternion);
        other.view.controls.target.copy(one.view.controls.target);
        other.view.controls.update();
        other.view.draw();
      }
      syncing = false;
    });
  });
  const jawButtons = [...viewer.querySelectorAll("button[data-scan-jaw]")];
  jawButtons.forEach((button) => button.addEventListener("click", () => {
    pressed(jawButtons, button);
    panes.forEach((one) => one.show(button.dataset.scanJaw));
  }));
  viewer.querySelector("[data-scan-reset]").addEventListener("click", () => panes.forEach((one) => one.reset()));
}

document.querySelectorAll("[data-scan-viewer]").forEach(start);
