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
  scene.add(new THREE.HemisphereLight(0xffffff, 0xb0a595, 2.2));
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
  const draw = () => {
    renderer.render(scene, camera);
    // Where the camera stands, for whoever checks that linked views move together.
    holder.dataset.camera = camera.position.toArray().map((n) => n.toFixed(1)).join(",");
  };
  controls.addEventListener("change", draw);
  new ResizeObserver(fit).observe(holder);
  fit();
  return {scene, camera, controls, draw, fit, renderer};
}

// Point the camera at what is in the scene, from the front and above, far enough back
// that the whole arch fits however narrow the view (a phone is taller than wide).
export function frame(view, object, elevation = 0.6) {
  const box = new THREE.Box3().setFromObject(object);
  if (box.isEmpty()) return;
  const centre = box.getCenter(new THREE.Vector3());
  const extent = box.getSize(new THREE.Vector3());
  const size = extent.length() || 50;
  const half = Math.tan(THREE.MathUtils.degToRad(view.camera.fov / 2));
  const distance = 1.15 * Math.max(
    Math.max(extent.y, extent.z) / 2 / half,
    extent.x / 2 / (half * Math.max(view.camera.aspect, 0.1)),
  ) + extent.z / 2;
  view.controls.target.copy(centre);
  view.camera.position.set(
    centre.x,
    centre.y + distance * Math.sin(elevation),
    centre.z + distance * Math.cos(elevation),
  );
  view.camera.near = size / 100;
  view.camera.far = size * 20;
  view.camera.updateProjectionMatrix();
  view.controls.update();
  view.draw();
}

export function pressed(buttons, chosen) {
  buttons.forEach((b) => b.setAttribute("aria-pressed", String(b === chosen)));
}
