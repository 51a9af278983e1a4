"use client";

import { useState } from "react";

import { Button } from "~/components/ui/button";
import { FilterSelect } from "~/components/ui/filter-select";
import { inputClasses } from "~/components/ui/form-field";

import { ACTION_GROUPS, ENTITY_TYPES, isActionGroup, type AuditFilters } from "./audit-filters";

const CUSTOM = "__custom";

/**
 * Filters of the audit log: an action group (or any action prefix typed in), an entity type, an
 * entity id. Selects apply at once; typed values apply on Enter or "Apply".
 */
export function AuditFilterBar({
  filters,
  onChange,
}: {
  filters: AuditFilters;
  onChange: (filters: AuditFilters) => void;
}) {
  const [customAction, setCustomAction] = useState(Boolean(filters.action) && !isActionGroup(filters.action));
  const showCustom = customAction || (Boolean(filters.action) && !isActionGroup(filters.action));
  const entityTypes: { value: string; label: string }[] = [...ENTITY_TYPES];
  if (filters.entityType && !entityTypes.some((type) => type.value === filters.entityType)) {
    entityTypes.push({ value: filters.entityType, label: filters.entityType });
  }
  const active = Boolean(filters.action || filters.entityType || filters.entityId);

  return (
    <form
      role="search"
      aria-label="Filter audit events"
      // Typed values are read on submit; a new key resets them when the applied filters change elsewhere.
      key={`${filters.action ?? ""}|${filters.entityId ?? ""}`}
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-4"
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        const text = (name: string) => {
          const value = data.get(name);
          return typeof value === "string" && value.trim() ? value.trim() : undefined;
        };
        onChange({
          ...filters,
          action: showCustom ? text("action") : filters.action,
          entityId: text("entityId"),
        });
      }}
    >
      <div className="grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <FilterSelect
          id="audit-action-group"
          label="Action"
          allLabel="All actions"
          value={showCustom ? CUSTOM : filters.action}
          options={[...ACTION_GROUPS, { value: CUSTOM, label: "Starts with…" }]}
          onChange={(value) => {
            if (value === CUSTOM) {
              setCustomAction(true);
              return;
            }
            setCustomAction(false);
            onChange({ ...filters, action: value });
          }}
        />
        {showCustom && (
          <div>
            <label htmlFor="audit-action" className="block text-sm font-medium text-slate-900">
              Action starts with
            </label>
            <input
              id="audit-action"
              name="action"
              type="text"
              defaultValue={filters.action ?? ""}
              placeholder="external_issue.failed"
              maxLength={100}
              className={`mt-1 ${inputClasses}`}
            />
          </div>
        )}
        <FilterSelect
          id="audit-entity-type"
          label="Entity type"
          allLabel="All types"
          value={filters.entityType}
          options={entityTypes}
          onChange={(entityType) => onChange({ ...filters, entityType })}
        />
        <div>
          <label htmlFor="audit-entity-id" className="block text-sm font-medium text-slate-900">
            Entity id
          </label>
          <input
            id="audit-entity-id"
            name="entityId"
            type="text"
            defaultValue={filters.entityId ?? ""}
            maxLength={100}
            className={`mt-1 ${inputClasses}`}
          />
        </div>
      </div>
      <div className="flex flex-wrap gap-3">
        <Button type="submit" variant="secondary">
          Apply
        </Button>
        {active && (
          <Button
            variant="ghost"
            onClick={() => {
              setCustomAction(false);
              onChange({});
            }}
          >
            Clear filters
          </Button>
        )}
      </div>
    </form>
  );
}
