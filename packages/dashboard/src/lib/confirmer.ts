/** What components/ConfirmDialog.vue exposes: a question, answered true only by its confirm button. */
export interface Confirmer {
  ask(question: { title: string; body: string[]; confirm: string }): Promise<boolean>;
}
