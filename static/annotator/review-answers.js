// The review page's questions: a table with a row per question and a column per annotator plus Gold, each answer
// with its review state's badge, and the rows whose annotators answered differently marked "disagree". An answer
// opens its card in the side panel (accept or reject it with a comment, set it as gold); a Gold cell opens the gold
// answer's card, to choose it from the question's options or scale. Every change goes through the REST API with
// the version the page last saw.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { decided, reviewControls, sendReview, showReviewed } from "./reviewing.js";
import { spanCard } from "./spanpanel.js";
import { reportSaveFailure } from "./status.js";

// An answer's value in words: a multi answer's options joined, in the question's order as the API keeps them.
export const valueWords = (value) => (Array.isArray(value) ? value.join(", ") : String(value));

const AGREE_WORDS = { disagree: "the annotators answered differently", agree: "every answer the same" };
const ifMatch = (item) => ({ "If-Match": `"${item.version}"` });

function scaleValues(question) {
  return Array.from({ length: question.max - question.min + 1 }, (_, i) => question.min + i);
}

// A question's values as controls (radio buttons for single and scale, checkboxes for multi), `current` checked;
// `value()` reads the choice (null when nothing is chosen). The field carries data-question-id, an option's
// control data-option and a scale value's data-value, as SPEC's hooks say.
function chooser(question, current) {
  const scale = question.kind === "scale";
  const values = scale ? scaleValues(question) : question.options;
  const chosen = new Set([].concat(current ?? []));
  const inputs = values.map((value) =>
    element("input", {
      type: question.kind === "multi" ? "checkbox" : "radio",
      name: `gold-${question.id}`,
      value: String(value),
      checked: chosen.has(value),
      dataset: scale ? { value: String(value) } : { option: value },
    }),
  );
  const field = element("fieldset", { className: `choices ${question.kind}`, dataset: { questionId: String(question.id) } }, [
    element("legend", { textContent: "Gold answer" }),
    ...inputs.map((input) => element("label", { className: "choice" }, [input, input.value])),
  ]);
  const value = () => {
    const picked = values.filter((_, i) => inputs[i].checked);
    if (!picked.length) return null;
    return question.kind === "multi" ? picked : picked[0];
  };
  return { field, value };
}

export class AnswerReview {
  // `table`: the page's table; `annotators`: the usernames of its columns; `panel`: the side panel the cards open
  // in; `onOpen()`: one of this table's cards took the panel.
  constructor(table, { data, base, annotators, panel, say, onOpen = () => {} }) {
    Object.assign(this, { table, base, annotators, panel, say, onOpen });
    this.answers = data.answers;
    this.gold = data.gold_answers;
    this.agreement = data.answer_agreement;
    // A retired question stays in view while this document holds an answer to it.
    const held = new Set([...this.answers, ...this.gold].map((row) => row.question));
    this.questions = data.questions.filter((question) => question.active || held.has(question.id));
    this.card = null;
    this.reopen = null;
    this.render();
  }

  question(id) {
    return this.questions.find((question) => question.id === id);
  }

  goldOf(questionId) {
    return this.gold.find((gold) => gold.question === questionId) ?? null;
  }

  render() {
    const columns = [...this.annotators, "Gold"].map((name) => element("th", { scope: "col", textContent: name }));
    this.table.replaceChildren(
      element("thead", {}, [element("tr", {}, [element("th", { scope: "col", textContent: "Question" }), ...columns])]),
      element("tbody", {}, this.questions.map((question) => this.row(question))),
    );
    showReviewed("answer-review-progress", this.answers, "answer");
  }

  row(question) {
    const agree = this.agreement[question.id];
    const name = [element("span", { className: "question-name", textContent: question.name })];
    if (question.kind === "scale") name.push(element("span", { className: "muted", textContent: ` (${question.min} to ${question.max})` }));
    if (question.required) name.push(element("span", { className: "tag", textContent: "required" }));
    if (!question.active) name.push(element("span", { className: "tag", textContent: "inactive" }));
    if (agree) name.push(element("span", { className: "agree-word", textContent: agree, title: AGREE_WORDS[agree], dataset: { agree } }));
    const cells = this.annotators.map((annotator) => {
      const answer = this.answers.find((row) => row.question === question.id && row.annotator === annotator);
      return element("td", { dataset: { annotator } }, [answer ? this.answerButton(answer) : element("span", { className: "muted", textContent: "no answer" })]);
    });
    const gold = this.goldOf(question.id);
    const setGold = button(gold ? valueWords(gold.value) : "Set gold…", () => this.showGold(question.id), gold ? "gold-value" : "gold-value secondary");
    if (gold) setGold.dataset.goldAnswerId = String(gold.id);
    setGold.title = gold ? "The gold answer: click to change it" : "No gold answer yet: click to set one";
    return element("tr", { dataset: { questionId: String(question.id), ...(agree && { agree }) } }, [
      element("th", { scope: "row", title: question.description }, name),
      ...cells,
      element("td", { dataset: { annotator: "gold" } }, [setGold]),
    ]);
  }

  answerButton(answer) {
    const open = button(valueWords(answer.value), () => this.showAnswer(answer.id), "answer-value");
    Object.assign(open.dataset, { answerId: String(answer.id), state: answer.review_status });
    open.title = `${answer.annotator}'s answer · ${answer.review_status}${answer.review_comment ? `: ${answer.review_comment}` : ""}`;
    return open;
  }

  show(card, reopen) {
    this.panel.replaceChildren(card);
    this.panel.hidden = false;
    this.card = card;
    this.reopen = reopen;
    this.onOpen();
  }

  // After a change, the table as it now is, and the card it came from if the panel still shows it.
  refresh() {
    this.render();
    if (this.card && this.panel.contains(this.card)) this.reopen();
  }

  showAnswer(id) {
    const answer = this.answers.find((row) => row.id === id);
    const question = this.question(answer.question);
    const card = spanCard({ text: valueWords(answer.value) }, `${answer.annotator} · ${question.name}`, { panelAnswerId: String(id) });
    if (this.agreement[question.id] === "disagree") {
      card.append(element("p", { className: "match", textContent: "The annotators answered this question differently.", dataset: { agree: "none" } }));
    }
    const gold = this.goldOf(question.id);
    card.append(
      element("p", { className: "muted", textContent: gold ? `Gold: ${valueWords(gold.value)}` : "No gold answer yet." }),
      ...reviewControls(answer, {
        decide: (decision, comment) => this.review(answer, decision, comment),
        copy: () => this.goldFrom(answer),
        copyText: "Set as gold",
      }),
    );
    this.show(card, () => this.showAnswer(id));
  }

  showGold(questionId) {
    const question = this.question(questionId);
    const gold = this.goldOf(questionId);
    const byline = ["gold", question.name, gold?.created_by].filter(Boolean).join(" · ");
    const card = element("section", { className: "span-card", dataset: { panelGoldQuestionId: String(questionId) } }, [
      element("p", { className: "span-text", textContent: gold ? `“${valueWords(gold.value)}”` : "No gold answer yet." }),
      element("p", { className: "muted", textContent: byline }),
    ]);
    if (question.description) card.append(element("p", { className: "muted", textContent: question.description }));
    const choice = chooser(question, gold?.value);
    const save = () => {
      const value = choice.value();
      if (value === null) this.say(`Choose the gold answer to ${question.name} first.`, true);
      else this.saveGold(question, gold, value);
    };
    card.append(
      choice.field,
      element("div", { className: "actions" }, [
        button(gold ? "Save" : "Set gold", save),
        ...(gold ? [button("Delete", () => this.deleteGold(question, gold), "danger")] : []),
      ]),
    );
    this.show(card, () => this.showGold(questionId));
  }

  adoptAnswer(now) {
    this.answers[this.answers.findIndex((row) => row.id === now.id)] = now;
  }

  adoptGold(now) {
    this.gold = [...this.gold.filter((gold) => gold.question !== now.question), now];
  }

  dropGold(gone) {
    this.gold = this.gold.filter((gold) => gold.id !== gone.id);
  }

  async review(answer, decision, comment) {
    const adopt = (now) => this.adoptAnswer(now);
    const updated = await sendReview(this.base, "answers", answer, decision, comment, { say: this.say, adopt });
    if (updated) {
      adopt(updated);
      this.say(`${decided(decision)} ${updated.annotator}'s answer to ${this.question(updated.question).name}.`);
    }
    this.refresh();
  }

  // A write to the gold answers; a 409 brings the gold answer as it now is (someone set or changed it meanwhile).
  async goldWrite(write) {
    try {
      await write();
    } catch (error) {
      reportSaveFailure(error, { say: this.say, adopt: (now) => this.adoptGold(now), what: "the gold answer" });
    }
    this.refresh();
  }

  // The gold layer answers each question once, and a copy records the answer it came from: replacing the gold
  // answer with a copy deletes the old one first (with its version), so the new one names its source truly.
  goldFrom(answer) {
    const question = this.question(answer.question);
    const gold = this.goldOf(answer.question);
    if (gold && gold.source_answer === answer.id) {
      this.say(`${answer.annotator}'s answer is already the gold answer to ${question.name}.`);
      return Promise.resolve();
    }
    return this.goldWrite(async () => {
      if (gold) {
        await api("DELETE", `${this.base}gold-answers/${gold.id}/`, undefined, ifMatch(gold));
        this.dropGold(gold);
      }
      const created = await api("POST", `${this.base}gold-answers/`, { from_answer: answer.id });
      this.adoptGold(created);
      this.say(`Set ${answer.annotator}'s “${valueWords(created.value)}” as the gold answer to ${question.name}.`);
    });
  }

  saveGold(question, gold, value) {
    return this.goldWrite(async () => {
      const saved = gold
        ? await api("PATCH", `${this.base}gold-answers/${gold.id}/`, { value }, ifMatch(gold))
        : await api("POST", `${this.base}gold-answers/`, { question: question.id, value });
      this.adoptGold(saved);
      this.say(`Set “${valueWords(saved.value)}” as the gold answer to ${question.name}.`);
    });
  }

  deleteGold(question, gold) {
    return this.goldWrite(async () => {
      await api("DELETE", `${this.base}gold-answers/${gold.id}/`, undefined, ifMatch(gold));
      this.dropGold(gold);
      this.say(`Removed the gold answer to ${question.name}.`);
    });
  }
}
