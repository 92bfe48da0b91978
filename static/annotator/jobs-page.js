// The jobs page (owners and reviewers): the project's jobs list, followed while any job is queued or running.
import { pageData } from "./dom.js";
import { jobsList } from "./jobs.js";

const data = pageData("jobs-data");
jobsList({
  base: `projects/${data.project.id}/`,
  jobs: data.jobs,
  shown: data.jobs_shown,
  documentsUrl: data.documents_url,
  list: document.querySelector("[data-testid='jobs']"),
  empty: document.getElementById("jobs-empty"),
  status: document.getElementById("jobs-status"),
});
document.body.dataset.ready = "true";
