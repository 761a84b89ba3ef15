// The konva build the page loaded (vendor/konva), as the ES module dwv imports by name.
export default globalThis.Konva;
