// A job's page while it runs: ask for its state every few seconds and show it in place (the
// status is announced only when it changes), until it is finished or the user stops checking.
// Without JavaScript the page refreshes itself instead (<noscript>), with a link to stop.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-job-status-url]");
  if (!box) {
    return;
  }
  const url = box.dataset.jobStatusUrl;
  const seconds = Number(box.dataset.jobPollSeconds) || 2;
  const status = box.querySelector("[data-job-status]");
  const bar = box.querySelector("progress");
  const percent = box.querySelector("[data-job-percent]");
  const controls = box.querySelector("[data-job-controls]");
  const stop = box.querySelector("[data-job-stop]");
  const outcome = box.querySelector("[data-job-outcome]");
  let timer = null;
  let checking = true;

  const show = (job) => {
    if (status.textContent !== job.status) {
      status.textContent = job.status;
    }
    bar.value = job.progress;
    bar.textContent = `${job.progress}%`;
    percent.textContent = `${job.progress}%`;
    if (job.finished) {
      checking = false;
      controls.hidden = true;
      outcome.hidden = false;
    }
  };

  const poll = async () => {
    timer = null;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        show(await response.json());
      }
    } catch {
      // The server did not answer this time; ask again at the next turn.
    }
    if (checking) {
      timer = window.setTimeout(poll, seconds * 1000);
    }
  };

  stop.addEventListener("click", () => {
    checking = !checking;
    if (checking) {
      stop.textContent = "Stop checking";
      poll();
    } else {
      if (timer !== null) {
        window.clearTimeout(timer);
        timer = null;
      }
      stop.textContent = "Start checking again";
    }
  });
  controls.hidden = false;
  timer = window.setTimeout(poll, seconds * 1000);
});
