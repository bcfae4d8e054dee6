"""The lab's scenario code on screen, with a Copy button (a small anywidget: the clipboard is only
reachable from the browser). The code itself is made by `kit.share_code`."""
from __future__ import annotations

import anywidget
import traitlets


class ScenarioCode(anywidget.AnyWidget):
    """Shows a scenario code in a read-only box a learner can select, and copies it on a click."""

    _esm = """
    export default {
      render({ model, el }) {
        el.classList.add("kit-scenario-code");
        const label = document.createElement("label");
        label.textContent = "Scenario code ";
        label.style.cssText = "font-size: 0.9em; margin-right: 0.3em";
        const box = document.createElement("input");
        box.type = "text";
        box.readOnly = true;
        box.setAttribute("aria-label", "Scenario code: share it, or open it with kit.explore(code)");
        box.style.cssText = "font-family: ui-monospace, monospace; font-size: 0.85em; width: 34em; max-width: 70%";
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = "Copy";
        button.className = "jupyter-button";
        button.style.cssText = "margin-left: 0.4em";
        const said = document.createElement("span");
        said.setAttribute("role", "status");
        said.style.cssText = "margin-left: 0.4em; font-size: 0.85em";
        const show = () => { box.value = model.get("code"); said.textContent = ""; };
        button.addEventListener("click", async () => {
          box.focus();
          box.select();
          try {
            await navigator.clipboard.writeText(box.value);
            said.textContent = "Copied";
          } catch (error) {  // no clipboard permission (e.g. plain http): the code is selected instead
            said.textContent = document.execCommand && document.execCommand("copy") ? "Copied"
              : "Selected: press Ctrl+C (Cmd+C) to copy";
          }
        });
        box.addEventListener("focus", () => box.select());
        model.on("change:code", show);
        show();
        label.appendChild(box);
        el.append(label, button, said);
      },
    };
    """
    code = traitlets.Unicode("").tag(sync=True)

    def __repr__(self):
        return f"Scenario code: {self.code}"
