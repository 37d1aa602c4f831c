"use client";
import { useEffect, useRef } from "react";

/** Active time on the current task: counts only while the tab is visible. */
export function useActiveTime(taskId: string | null) {
  const total = useRef(0);
  const since = useRef<number | null>(null);
  useEffect(() => {
    total.current = 0;
    since.current = document.visibilityState === "visible" ? performance.now() : null;
    const onVisibility = () => {
      if (document.visibilityState === "visible") since.current = performance.now();
      else if (since.current !== null) {
        total.current += performance.now() - since.current;
        since.current = null;
      }
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => document.removeEventListener("visibilitychange", onVisibility);
  }, [taskId]);
  return () => Math.round(total.current + (since.current !== null ? performance.now() - since.current : 0));
}
