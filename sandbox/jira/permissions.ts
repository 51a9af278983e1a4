/**
 * The demo permission scheme: every user of a site can browse every project; CREATE_ISSUES and
 * the other "work" permissions follow the project's `canCreate` flag (false for READ).
 */
import type { DemoProject } from "../fixtures";

type PermissionType = "PROJECT" | "GLOBAL";

interface PermissionInfo {
  id: string;
  name: string;
  type: PermissionType;
  description: string;
  /** Whether demo users hold it, given the project (null = no project context). */
  grant: (project: DemoProject | null) => boolean;
}

const work = (project: DemoProject | null) => project?.canCreate ?? true;

export const PERMISSIONS: Record<string, PermissionInfo> = {
  BROWSE_PROJECTS: {
    id: "10",
    name: "Browse Projects",
    type: "PROJECT",
    description: "Ability to browse projects and the issues within them.",
    grant: () => true,
  },
  CREATE_ISSUES: {
    id: "11",
    name: "Create Issues",
    type: "PROJECT",
    description: "Ability to create issues.",
    grant: work,
  },
  EDIT_ISSUES: {
    id: "12",
    name: "Edit Issues",
    type: "PROJECT",
    description: "Ability to edit issues.",
    grant: work,
  },
  ASSIGN_ISSUES: {
    id: "13",
    name: "Assign Issues",
    type: "PROJECT",
    description: "Ability to assign issues to other people.",
    grant: work,
  },
  ASSIGNABLE_USER: {
    id: "17",
    name: "Assignable User",
    type: "PROJECT",
    description: "Users with this permission may be assigned to issues.",
    grant: work,
  },
  RESOLVE_ISSUES: {
    id: "14",
    name: "Resolve Issues",
    type: "PROJECT",
    description: "Ability to resolve and reopen issues.",
    grant: work,
  },
  ADD_COMMENTS: {
    id: "15",
    name: "Add Comments",
    type: "PROJECT",
    description: "Ability to comment on issues.",
    grant: work,
  },
  CREATE_ATTACHMENTS: {
    id: "19",
    name: "Create Attachments",
    type: "PROJECT",
    description: "Users with this permission may create attachments.",
    grant: work,
  },
  DELETE_ISSUES: {
    id: "16",
    name: "Delete Issues",
    type: "PROJECT",
    description: "Ability to delete issues.",
    grant: () => false,
  },
  TRANSITION_ISSUES: {
    id: "46",
    name: "Transition Issues",
    type: "PROJECT",
    description: "Ability to transition issues.",
    grant: work,
  },
  EDIT_OWN_COMMENTS: {
    id: "39",
    name: "Edit Own Comments",
    type: "PROJECT",
    description: "Ability to edit own comments made on issues.",
    grant: work,
  },
  ADMINISTER_PROJECTS: {
    id: "23",
    name: "Administer Projects",
    type: "PROJECT",
    description: "Ability to administer a project in Jira.",
    grant: () => false,
  },
  ADMINISTER: {
    id: "0",
    name: "Administer Jira",
    type: "GLOBAL",
    description:
      "Create and administer projects, issue types, fields, workflows, and schemes for all projects.",
    grant: () => false,
  },
  USER_PICKER: {
    id: "27",
    name: "Browse users and groups",
    type: "GLOBAL",
    description: "View and select users or groups from the user picker.",
    grant: () => true,
  },
};

export function hasPermission(key: keyof typeof PERMISSIONS | string, project: DemoProject | null): boolean {
  const permission = PERMISSIONS[key];
  if (!permission) return false;
  // Without a project context Jira answers "in at least one project".
  return permission.grant(project);
}
