// Models may arrive in any order (Voila loads them all at once): look each one up until it is
// there, never throw (a failure here must not break the dashboard), never block its display.
async function find(manager, id) {
  for (let i = 0; i < 200; i++) {
    try { return await manager.get_model(id); } catch (error) { await new Promise(r => setTimeout(r, 50)); }
  }
  return null;
}
async function link(model) {
  const manager = model.widget_manager;
  const charts = (await Promise.all(model.get("charts").map((id) => find(manager, id)))).filter(Boolean);
  for (const [id, name] of model.get("links")) {
    const slider = await find(manager, id);
    if (!slider) continue;
    slider.on("change:value", (_, value, options) => {
      if (!options || !options.updated_view) return;  // not a learner's move: the kernel sends it
      for (const chart of charts) {
        if (!chart.get("spec")) continue;
        chart.set("_params", { ...(chart.get("_params") || {}), [name]: value });
      }
    });
  }
}
export default {
  initialize({ model }) { link(model).catch((error) => console.warn("kit BrowserLink:", error)); },
  render({ el }) { el.style.display = "none"; },
};
