"use client";

import { useEffect, useEffectEvent, useRef } from "react";
import { get, useController, useFormContext } from "react-hook-form";

import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { FormField, inputClasses } from "~/components/ui/form-field";

import { ISSUE_TYPE_FIELD, PROJECT_FIELD, type ConnectionFormValues } from "./schema-form";
import { errorMessage } from "./trpc-errors";
import { useConnectionDraft, type ConnectionTarget } from "./use-connection-draft";
import { useDiscoverIssueTypes, useDiscoverProjects } from "./use-integrations";

/** Runs `load` once the draft is complete, and again whenever it changes, after typing pauses. */
function useLoadWhenReady(key: string, ready: boolean, load: () => void, delayMs = 600) {
  const loadedKey = useRef<string | null>(null);
  const onReady = useEffectEvent(() => {
    loadedKey.current = key;
    load();
  });
  useEffect(() => {
    if (!ready || loadedKey.current === key) return;
    const timer = setTimeout(onReady, delayMs);
    return () => clearTimeout(timer);
  }, [key, ready, delayMs]);
}

type Option = { value: string; label: string };

/** Keeps the current value choosable before the list has loaded (e.g. when editing). */
function withCurrent(options: Option[], current: string): Option[] {
  return current && !options.some((option) => option.value === current)
    ? [{ value: current, label: current }, ...options]
    : options;
}

function DiscoveredSelect({
  name,
  label,
  help,
  options,
  placeholder,
  onChosen,
  action,
}: {
  name: `config.${string}`;
  label: string;
  help: string;
  options: Option[];
  placeholder: string;
  onChosen?: () => void;
  action: React.ReactNode;
}) {
  const { field, fieldState } = useController<ConnectionFormValues>({ name });
  const value = typeof field.value === "string" ? field.value : "";
  return (
    <FormField
      id={`field-${name.replace(".", "-")}`}
      label={label}
      help={help}
      error={fieldState.error?.message}
      required
    >
      {(control) => (
        <div className="flex flex-wrap gap-2">
          <select
            {...control}
            ref={field.ref}
            name={field.name}
            value={value}
            onBlur={field.onBlur}
            onChange={(event) => {
              field.onChange(event.target.value);
              onChosen?.();
            }}
            className={`${inputClasses} min-w-0 flex-1`}
          >
            <option value="">{placeholder}</option>
            {withCurrent(options, value).map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
          {action}
        </div>
      )}
    </FormField>
  );
}

function DiscoveryStatus({ error, found }: { error: unknown; found: string | null }) {
  if (error) {
    return (
      <p role="alert" className="mt-1 text-sm text-red-700">
        {errorMessage(error)}
      </p>
    );
  }
  return (
    <p aria-live="polite" className="mt-1 text-xs text-slate-600">
      {found}
    </p>
  );
}

/** The default project, chosen from the projects the connection can see, fetched live. */
export function ProjectPicker({ target, label }: { target: ConnectionTarget; label: string }) {
  const { draft, key, ready } = useConnectionDraft(target);
  const projects = useDiscoverProjects();
  const load = () => projects.mutate(draft);
  useLoadWhenReady(key, ready, load);

  const options = (projects.data ?? []).map((project) => ({
    value: project.key,
    label: `${project.name} (${project.key})`,
  }));
  const found = projects.data
    ? `${projects.data.length} project${projects.data.length === 1 ? "" : "s"} found.`
    : ready
      ? null
      : "Fill in the connection details above; the projects load by themselves.";

  return (
    <div>
      <DiscoveredSelect
        name={`config.${PROJECT_FIELD}`}
        label={label}
        help="New tickets are created in this project."
        placeholder={projects.data ? "Choose a project" : "Load the projects first"}
        options={options}
        action={
          <Button
            variant="secondary"
            onClick={load}
            disabled={!ready}
            pending={projects.isPending}
            pendingLabel="Loading projects…"
          >
            Load projects
          </Button>
        }
      />
      <DiscoveryStatus error={projects.error} found={found} />
    </div>
  );
}

/** The default issue type, from the chosen project's create metadata. */
export function IssueTypePicker({ target, label }: { target: ConnectionTarget; label: string }) {
  const { draft, key, ready, projectKey } = useConnectionDraft(target);
  const { setValue, getValues } = useFormContext<ConnectionFormValues>();
  const issueTypes = useDiscoverIssueTypes();
  const path = `config.${ISSUE_TYPE_FIELD}` as const;

  const load = () =>
    issueTypes.mutate(
      { ...draft, projectKey },
      {
        onSuccess: (types) => {
          const current = getValues(path);
          const creatable = types.filter((type) => !type.subtask);
          // An empty list means "type it yourself": keep what is there.
          if (current && creatable.length > 0 && !creatable.some((type) => type.name === current)) {
            setValue(path, "", { shouldValidate: false });
          }
        },
      },
    );
  useLoadWhenReady(`${key}|${projectKey}`, ready && Boolean(projectKey), load, 0);

  const options = (issueTypes.data ?? [])
    .filter((type) => !type.subtask)
    .map((type) => ({ value: type.name, label: type.name }));
  const found = !projectKey
    ? "Choose a project first."
    : issueTypes.data
      ? `${options.length} issue type${options.length === 1 ? "" : "s"} in ${projectKey}.`
      : null;

  if (issueTypes.data && options.length === 0) {
    return <TypedIssueType path={path} label={label} projectKey={projectKey} />;
  }

  return (
    <div>
      <DiscoveredSelect
        name={path}
        label={label}
        help="Used when a ticket's category does not map to another issue type."
        placeholder={issueTypes.data ? "Choose an issue type" : "Choose a project first"}
        options={options}
        action={
          <Button
            variant="secondary"
            onClick={load}
            disabled={!ready || !projectKey}
            pending={issueTypes.isPending}
            pendingLabel="Loading types…"
          >
            Reload types
          </Button>
        }
      />
      <DiscoveryStatus error={issueTypes.error} found={found} />
    </div>
  );
}

/**
 * When the project lists no issue types (Jira lists none where the account may not create issues,
 * and some servers restrict the metadata), the type is typed instead; the tests then tell whether
 * issues can be created.
 */
function TypedIssueType({
  path,
  label,
  projectKey,
}: {
  path: `config.${string}`;
  label: string;
  projectKey: string;
}) {
  const {
    register,
    formState: { errors },
  } = useFormContext<ConnectionFormValues>();
  const error = (get(errors, path) as { message?: string } | undefined)?.message;
  return (
    <div className="space-y-2">
      <Alert tone="warning" title={`${projectKey} lists no issue types you can create`}>
        The account may not have permission to create issues in this project. Type the issue type to use (for
        example Task); the test will show whether issues can be created.
      </Alert>
      <FormField id={`field-${path.replace(".", "-")}`} label={label} error={error} required>
        {(control) => (
          <input
            {...control}
            {...register(path)}
            type="text"
            placeholder="Task"
            spellCheck={false}
            className={inputClasses}
          />
        )}
      </FormField>
    </div>
  );
}
