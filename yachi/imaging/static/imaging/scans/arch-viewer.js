// The 3D tooth arch: the chart's teeth as simple generated crowns on a parametric arch,
// coloured by caries risk; with an aligner setup, a slider and a play button move the
// teeth through the stages (an illustration, as the page says, not a prediction).
import * as THREE from "three";
import {frame, pressed, stage} from "./common.js";

function crown(shape) {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute("position", new THREE.Float32BufferAttribute(shape.vertices, 3));
  geometry.setIndex(shape.faces);
  geometry.computeVertexNormals();
  return geometry;
}

// A crown's neck meets the gum and its biting surface the occlusal plane (y = 0):
// upper crowns hang down from above, lower ones stand up from below.
function pose(mesh, tooth, x, y, z, yaw) {
  mesh.position.set(x, y, z);
  mesh.rotation.set(0, yaw, 0);
}

function start(viewer) {
  const model = JSON.parse(document.getElementById("arch-model").textContent);
  const view = stage(viewer.querySelector("[data-arch-canvas]"));
  const geometries = Object.fromEntries(Object.entries(model.shapes).map(([key, shape]) => [key, crown(shape)]));
  const arch = new THREE.Group();
  view.scene.add(arch);
  const meshes = model.teeth.map((tooth) => {
    const holder = new THREE.Group();
    const mesh = new THREE.Mesh(geometries[tooth.shape], new THREE.MeshStandardMaterial({color: tooth.colour, roughness: 0.6}));
    if (tooth.jaw === "upper") {
      mesh.rotation.z = Math.PI;
      mesh.position.y = tooth.height;
    } else {
      mesh.position.y = -tooth.height;
    }
    holder.add(mesh);
    holder.userData = tooth;
    pose(holder, tooth, tooth.x, 0, tooth.z, tooth.yaw);
    arch.add(holder);
    return holder;
  });
  viewer.querySelectorAll(".arch-swatch").forEach((swatch) => { swatch.style.background = swatch.dataset.colour; });
  frame(view, arch);
  viewer.dataset.teeth = String(meshes.length);
  const jawButtons = [...viewer.querySelectorAll("button[data-arch-jaw]")];
  jawButtons.forEach((button) => button.addEventListener("click", () => {
    pressed(jawButtons, button);
    const jaw = button.dataset.archJaw;
    meshes.forEach((m) => { m.visible = jaw === "both" || m.userData.jaw === jaw; });
    view.draw();
  }));
  viewer.querySelector("[data-arch-reset]").addEventListener("click", () => frame(view, arch));
  const staging = model.staging;
  const slider = viewer.querySelector("[data-arch-stage]");
  if (staging && slider) {
    const value = viewer.querySelector("[data-arch-stage-value]");
    const play = viewer.querySelector("[data-arch-play]");
    const show = (n) => {
      staging.frames[n].forEach(([x, y, z, yaw], i) => pose(meshes[i], meshes[i].userData, x, y, z, yaw));
      value.textContent = String(n);
      viewer.dataset.stage = String(n);
      view.draw();
    };
    slider.addEventListener("input", () => show(Number(slider.value)));
    let timer = null;
    play.addEventListener("click", () => {
      if (timer) {
        clearInterval(timer);
        timer = null;
        play.textContent = play.dataset.play;
        return;
      }
      if (Number(slider.value) >= staging.stages) slider.value = "0";
      play.textContent = play.dataset.pause;
      timer = setInterval(() => {
        const next = Number(slider.value) + 1;
        slider.value = String(next);
        show(next);
        if (next >= staging.stages) { clearInterval(timer); timer = null; play.textContent = play.dataset.play; }
      }, 250);
    });
    show(0);
  }
  viewer.dataset.ready = "true";
}

document.querySelectorAll("[data-arch-viewer]").forEach(start);
