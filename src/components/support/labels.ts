export const KIND_LABELS = {
  bug: "Bug report",
  feature: "Feature request",
  support: "Support ticket",
} as const;
export const SUPPORT_CATEGORY_LABELS = {
  technical: "Technical",
  billing: "Billing",
  training: "Training",
  account: "Account",
  other: "Other",
} as const;
export const STATUS_STYLES: Record<string, string> = {
  OPEN: "bg-sky-100 text-sky-900",
  IN_PROGRESS: "bg-amber-100 text-amber-900",
  RESOLVED: "bg-emerald-100 text-emerald-900",
  CLOSED: "bg-slate-200 text-slate-800",
};
export const PRIORITY_STYLES: Record<string, string> = {
  low: "bg-slate-100 text-slate-800",
  medium: "bg-sky-50 text-sky-900",
  high: "bg-orange-100 text-orange-900",
  critical: "bg-red-100 text-red-900",
};
