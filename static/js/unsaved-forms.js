// Nothing typed in a form is lost by a click elsewhere on the page.
//
// The language switch reloads the page in the other language with the saved data only: what
// was typed in the page's forms is put aside in the tab's session storage for the page the
// switch leads back to, written back there once (then forgotten), and a note says it is not
// saved yet. Leaving a page whose form holds changes (a link, Back, closing the tab) asks the
// browser's own "Leave the page?" first; sending that form does not ask, nor does the switch.
//
// Every form of the page's main part sent by POST is watched (a new form is covered without
// anyone remembering to mark it); a form opts out with data-unsaved="off". A form answered
// with a file (data-unsaved="download") leaves the page where it is: sending it asks nothing,
// whatever the page's other forms hold. Filters and
// searches (GET) are not watched. A form holds changes when a field differs from what the
// page was served with, so a field typed then set back is no change. Files, passwords, hidden
// fields and the CSRF token are never kept. Without script the pages work as before.
(function () {
  "use strict";
  const main = document.getElementById("main");
  if (!main) return;
  const STASH = "unsaved-forms:";
  const FRESH_MS = 60 * 1000; // a stash the switch did not come back to in time is dropped
  const NEVER_KEPT = ["file", "password", "hidden", "submit", "button", "reset", "image"];

  function watchedForms() {
    return Array.from(main.querySelectorAll("form")).filter(function (form) {
      return form.method === "post" && form.dataset.unsaved !== "off";
    });
  }

  function fieldsOf(form) {
    return Array.from(form.elements).filter(function (field) {
      if (!["INPUT", "SELECT", "TEXTAREA"].includes(field.tagName)) return false;
      return field.name && field.name !== "csrfmiddlewaretoken" && !field.disabled &&
        !NEVER_KEPT.includes(field.type);
    });
  }

  function isChoice(field) {
    return field.type === "checkbox" || field.type === "radio";
  }

  // A single select without a selected="" option shows its first one.
  function servedIndex(select) {
    let index = select.options.length ? 0 : -1;
    Array.from(select.options).forEach(function (option, position) {
      if (option.defaultSelected) index = position;
    });
    return index;
  }

  function changed(field) {
    if (isChoice(field)) return field.checked !== field.defaultChecked;
    if (field.type === "select-one") return field.selectedIndex !== servedIndex(field);
    if (field.type === "select-multiple") {
      return Array.from(field.options).some(function (option) {
        return option.selected !== option.defaultSelected;
      });
    }
    return field.value !== field.defaultValue;
  }

  function valueOf(field) {
    if (isChoice(field)) return field.checked;
    if (field.type === "select-multiple") {
      return Array.from(field.selectedOptions).map(function (option) { return option.value; });
    }
    return field.value;
  }

  function setValue(field, value) {
    if (isChoice(field)) field.checked = value === true;
    else if (field.type === "select-one") {
      // A choice the page no longer offers (a partner taken off meanwhile) is not forced in.
      const offered = Array.from(field.options).some(function (option) {
        return option.value === value;
      });
      if (offered) field.value = value;
    } else if (field.type === "select-multiple") {
      Array.from(field.options).forEach(function (option) {
        option.selected = value.includes(option.value);
      });
    } else field.value = value;
  }

  // What the page was served with becomes the form's new starting point (it was saved).
  function markSaved(form) {
    fieldsOf(form).forEach(function (field) {
      if (isChoice(field)) field.defaultChecked = field.checked;
      else if (field.tagName === "SELECT") {
        Array.from(field.options).forEach(function (option) {
          option.defaultSelected = option.selected;
        });
      } else field.defaultValue = field.value;
    });
  }

  // A form and its fields are named the same way in both languages: the form by its id, or
  // its address and rank among the forms sent there; a field by its name (and value, for a
  // tick box or a radio button) and rank among its namesakes.
  function formNames() {
    const seen = {};
    return watchedForms().map(function (form) {
      let name = form.id ? "#" + form.id : form.getAttribute("action") || "";
      seen[name] = (seen[name] || 0) + 1;
      if (!form.id) name += "@" + seen[name];
      return { form: form, name: name };
    });
  }

  function fieldNames(form) {
    const seen = {};
    return fieldsOf(form).map(function (field) {
      let name = field.name + (isChoice(field) ? "=" + field.value : "");
      seen[name] = (seen[name] || 0) + 1;
      return { field: field, name: name + "@" + seen[name] };
    });
  }

  // Forms sent on their way out: not asked about, unless typed in again (a sending that
  // answers with a download leaves the page where it is).
  const sent = new WeakSet();
  let switchingLanguage = false;
  // When a form answered with a file was sent: the browser's "leave?" that follows at once is
  // about a download, not a departure (dismissed, it cancelled the download).
  let downloadSentAt = 0;
  const DOWNLOAD_MS = 2000;

  function holdsChanges(form) {
    return !sent.has(form) && fieldsOf(form).some(changed);
  }

  // The dossier's and the course plan's text boxes are kept across the sending of a sibling
  // form by keep-comments.js: a form whose only changes are such boxes is not lost.
  function keptBySibling(form) {
    return form.matches("[data-keep-comments]") && fieldsOf(form).filter(changed).every(
      function (field) { return field.tagName === "TEXTAREA" && field.id; }
    );
  }

  function stashFor(next) {
    const page = new URL(next || window.location.href, window.location.href);
    return STASH + page.pathname + page.search;
  }

  // Whether what was typed is safe (put aside, or nothing to put aside).
  function putAside(languageForm) {
    // A page answering a form (its errors) shows what was typed as served: all of it is kept.
    const answer = main.hasAttribute("data-form-answer");
    const forms = {};
    formNames().forEach(function (entry) {
      const fields = {};
      fieldNames(entry.form).forEach(function (named) {
        if (answer || changed(named.field)) fields[named.name] = valueOf(named.field);
      });
      if (Object.keys(fields).length) forms[entry.name] = fields;
    });
    if (!Object.keys(forms).length) return true;
    const next = languageForm.elements.next ? languageForm.elements.next.value : "";
    try {
      window.sessionStorage.setItem(
        stashFor(next), JSON.stringify({ at: Date.now(), forms: forms })
      );
      return true;
    } catch (error) {
      return false; // full or refused (a private window may): leaving asks as for a link
    }
  }

  function takeBack() {
    let stash = null;
    try {
      const key = stashFor("");
      stash = JSON.parse(window.sessionStorage.getItem(key) || "null");
      window.sessionStorage.removeItem(key);
      Object.keys(window.sessionStorage).forEach(function (other) {
        if (other.indexOf(STASH) !== 0) return;
        const kept = JSON.parse(window.sessionStorage.getItem(other) || "{}");
        if (!(Date.now() - kept.at < FRESH_MS)) window.sessionStorage.removeItem(other);
      });
    } catch (error) {
      return [];
    }
    if (!stash || !stash.forms || !(Date.now() - stash.at < FRESH_MS)) return [];
    const restored = [];
    formNames().forEach(function (entry) {
      const fields = stash.forms[entry.name];
      if (!fields) return;
      fieldNames(entry.form).forEach(function (named) {
        if (!(named.name in fields)) return;
        const before = JSON.stringify(valueOf(named.field));
        setValue(named.field, fields[named.name]);
        if (JSON.stringify(valueOf(named.field)) !== before) restored.push(named.field);
      });
    });
    return restored;
  }

  // The note's live region is put in the page at once and written a moment later: a screen
  // reader reads out a change of a region it knows, not a region that came with its text.
  function announceKept() {
    const note = document.createElement("div");
    note.id = "unsaved-note";
    note.setAttribute("role", "status");
    main.prepend(note);
    window.setTimeout(function () {
      const text = document.createElement("p");
      text.className = "alert alert-info py-2 small";
      text.textContent = document.documentElement.dataset.unsavedKept || "";
      note.replaceChildren(text);
    }, 300);
  }

  // Written back before the page's other scripts run (a form showing the fields of the chosen
  // kind reads the kind as restored); once they are ready, the fields say they changed, so
  // that the live check looks at what came back.
  const restored = takeBack();
  if (restored.length) {
    announceKept();
    const tellChanged = function () {
      restored.forEach(function (field) {
        field.dispatchEvent(new Event("change", { bubbles: true }));
      });
    };
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", tellChanged);
    } else tellChanged();
  }

  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (event.defaultPrevented) return; // sent by htmx: the page stays
    if (form.matches("[data-language-switch]")) {
      switchingLanguage = putAside(form);
      return;
    }
    if (form.dataset.unsaved === "download") {
      downloadSentAt = Date.now();
      return;
    }
    if (!watchedForms().includes(form)) return;
    sent.add(form);
    if (form.matches("[data-keep-comments]")) {
      watchedForms().filter(keptBySibling).forEach(function (kept) { sent.add(kept); });
    }
  });

  function typedAgain(event) {
    switchingLanguage = false;
    const form = event.target.form;
    if (form) sent.delete(form);
  }
  document.addEventListener("input", typedAgain);
  document.addEventListener("change", typedAgain);

  // A form htmx sent (its own sending, not the live check's) and the server took is saved.
  document.addEventListener("htmx:afterRequest", function (event) {
    const detail = event.detail;
    const trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
    if (detail.successful && trigger && trigger.type === "submit" && detail.elt.tagName === "FORM") {
      markSaved(detail.elt);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    const downloading = Date.now() - downloadSentAt < DOWNLOAD_MS;
    downloadSentAt = 0; // once: leaving later is asked about again
    if (downloading || switchingLanguage || !watchedForms().some(holdsChanges)) return;
    event.preventDefault();
    event.returnValue = ""; // browsers before the standard's preventDefault() ask for a value
  });
})();
