// The jszip build the page loaded (vendor/jszip), as the ES module dwv imports by name.
export default globalThis.JSZip;
