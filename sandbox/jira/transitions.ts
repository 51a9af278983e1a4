/** Workflow transitions: To Do (11) / In Progress (21) / Done (31), all global. */
import { DEMO_STATUSES, DEMO_TRANSITIONS } from "../fixtures";
import { queryValue } from "../http";
import { isRecord, jiraError, type JiraHandler } from "./context";
import { availableTransitions, editExisting } from "./issues";
import { isResult, issueFromPath, projectOf, recordChange, statusChangeItem } from "./store";

export const getTransitions: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  const wanted = queryValue(ctx.query, "transitionId");
  const transitions = availableTransitions(ctx, projectOf(ctx.site, issue), issue).filter(
    (t) => !wanted || t.id === wanted,
  );
  return { status: 200, body: { expand: "transitions", transitions } };
};

export const doTransition: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  const body = isRecord(ctx.body) ? ctx.body : {};
  const requested =
    isRecord(body.transition) && body.transition.id !== undefined ? String(body.transition.id) : undefined;
  if (!requested) return jiraError(400, ["Missing 'transition' identifier"]);
  const transition = availableTransitions(ctx, projectOf(ctx.site, issue), issue).find(
    (t) => t.id === requested,
  );
  if (!transition) return jiraError(400, [`Transition id '${requested}' is not valid for this issue.`]);

  const edit =
    body.fields !== undefined || body.update !== undefined
      ? editExisting(ctx, issue, body.fields, body.update)
      : { items: [] };
  if ("errors" in edit) return jiraError(400, [], edit.errors);

  const fromStatusId = issue.statusId;
  const toStatusId = DEMO_TRANSITIONS.find((t) => t.id === transition.id)?.toStatusId ?? fromStatusId;
  const now = ctx.state.now();
  const category = (id: string) => DEMO_STATUSES.find((s) => s.id === id)?.category;
  if (category(fromStatusId) !== category(toStatusId)) issue.statusCategoryChanged = now;
  issue.statusId = toStatusId;
  const entry = recordChange(
    ctx.site,
    issue,
    ctx.user.accountId,
    [statusChangeItem(fromStatusId, toStatusId), ...edit.items],
    now,
  );
  ctx.runtime.webhooks.issueUpdated(ctx.site, issue, ctx.user.accountId, entry, "issue_generic");
  return { status: 204 };
};
