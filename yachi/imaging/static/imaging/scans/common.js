// What both 3D viewers share: a scene with soft light, a camera and orbit controls
// (drag to rotate, pinch or scroll to zoom) drawing into one element.
import * as THREE from "three";
import {OrbitControls} from "three/addons/controls/OrbitControls.js";

export function stage(holder) {
  const renderer = new THREE.WebGLRenderer({antialias: true});
  renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, 2));
  holder.appendChild(renderer.domElement);
  const scene = new THREE.Scene();
  scene.background = new THREE.Color(0xf4f1ec);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x8a7f70, 1.6));
  const light = new THREE.DirectionalLight(0xffffff, 1.4);
  light.position.set(30, 60, 90);
  scene.add(light);
  const camera = new THREE.PerspectiveCamera(40, 1, 1, 2000);
  const controls = new OrbitControls(camera, renderer.domElement);
  controls.enableDamping = false;
  const fit = () => {
    const width = holder.clientWidth || 300;
    const height = holder.clientHeight || 300;
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    draw();
  };
  const draw = () => renderer.render(scene, camera);
  controls.addEventListener("change", draw);
  new ResizeObserver(fit).observe(holder);
  fit();
  return {scene, camera, controls, draw, fit, renderer};
}

// Point the camera at what is in the scene, from the front and a little above.
export function frame(view, object) {
  const box = new THREE.Box3().setFromObject(object);
  if (box.isEmpty()) return;
  const centre = box.getCenter(new THREE.Vector3());
  const size = box.getSize(new THREE.Vector3()).length() || 50;
  view.controls.target.copy(centre);
  view.camera.position.set(centre.x, centre.y + size * 0.35, centre.z + size * 1.1);
  view.camera.near = size / 100;
  view.camera.far = size * 20;
  view.camera.updateProjectionMatrix();
  view.controls.update();
  view.draw();
}

export function pressed(buttons, chosen) {
  buttons.forEach((b) => b.setAttribute("aria-pressed", String(b === chosen)));
}
