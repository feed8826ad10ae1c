/** What the kill-test worker prints once recordLifecycleEvent appended and it starts holding the activity open. */
export const HELD_AFTER_APPEND = 'held after append';
