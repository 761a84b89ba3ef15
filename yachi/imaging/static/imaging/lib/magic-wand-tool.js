// The magic-wand-tool build the page loaded (vendor/magic-wand-tool), as the ES module dwv imports by name.
export default globalThis.MagicWand;
