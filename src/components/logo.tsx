export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <svg aria-hidden="true" viewBox="0 0 32 32" className="h-7 w-7">
        <rect width="32" height="32" rx="8" className="fill-brand-600" />
        <path d="M7 20c4-9 14-9 18 0" stroke="white" strokeWidth="3" fill="none" strokeLinecap="round" />
        <circle cx="7" cy="21" r="2.5" fill="white" />
        <circle cx="25" cy="21" r="2.5" fill="white" />
      </svg>
      TicketBridge
    </span>
  );
}
