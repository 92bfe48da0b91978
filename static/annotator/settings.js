// The settings page: project fields, labels, relation types, questions, presets, the codebook's history,
// recommenders with their jobs and members, one module each. Every change goes through the REST API, and the page
// follows each answer, so what it shows is what a reload would show.
import { api } from "./api.js";
import { pageData } from "./dom.js";
import { jobsList } from "./jobs.js";
import { codebookHistory } from "./settings-codebook.js";
import { labelSettings } from "./settings-labels.js";
import { memberSettings } from "./settings-members.js";
import { presetSettings } from "./settings-presets.js";
import { projectSettings } from "./settings-project.js";
import { questionSettings } from "./settings-questions.js";
import { recommenderSettings } from "./settings-recommenders.js";
import { relationTypeSettings } from "./settings-relation-types.js";

const data = pageData("settings-data");
const base = `projects/${data.project.id}/`;

// A change to the guidelines, a label, a relation type or a question makes a codebook version: the history then
// takes the newest versions (set once the tables are first drawn, which changes nothing).
let history = null;
const codebookChanged = () => history && history.refresh();

projectSettings({ base, project: data.project, onSave: (changes) => "guidelines" in changes && codebookChanged() });
// The preset plan and the relation types' ends depend on the labels the project has, so both are redone after
// every change to them.
const labels = labelSettings({
  base,
  labels: data.labels,
  relationTypesUsing: (id) => relationTypes.using(id),
  onChange: () => {
    presets.showPlan();
    relationTypes.refreshLabels();
    recommenders.refreshLabels();
    codebookChanged();
  },
  // A merge rewrote the relation types' ends and the recommenders' configs that named the merged label.
  onMerge: async () => {
    const [types, configured] = await Promise.all([
      api("GET", `${base}relation-types/?page_size=1000`),
      api("GET", `${base}recommenders/?page_size=1000`),
    ]);
    types.results.forEach(relationTypes.store);
    configured.results.forEach(recommenders.store);
  },
});
const relationTypes = relationTypeSettings({
  base,
  relationTypes: data.relation_types,
  labels: labels.all,
  onChange: () => {
    presets.showPlan();
    codebookChanged();
  },
});
const questions = questionSettings({
  base,
  questions: data.questions,
  onChange: () => {
    presets.showPlan();
    codebookChanged();
  },
});
const presets = presetSettings({
  base,
  presets: data.presets,
  existing: { labels: labels.all, types: relationTypes.all, questions: questions.all },
  store: { labels: labels.store, types: relationTypes.store, questions: questions.store },
});
const jobs = jobsList({
  base,
  jobs: data.jobs,
  shown: data.jobs_shown,
  documentsUrl: data.documents_url,
  list: document.querySelector("[data-testid='jobs']"),
  empty: document.getElementById("jobs-empty"),
  status: document.getElementById("jobs-status"),
});
const recommenders = recommenderSettings({ base, recommenders: data.recommenders, labels: labels.all, jobs });
const members = memberSettings({
  base, members: data.members, username: data.username, roles: data.roles, overviewUrl: data.overview_url,
});

relationTypes.render();
questions.render();
recommenders.render();
labels.render();
members.render();
history = codebookHistory({ base, current: data.codebook_version });
document.body.dataset.ready = "true";
