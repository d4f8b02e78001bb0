/**
 * The helper containers this Plimsoll instance created, by container id. The engine collector leaves out of
 * a node's inventory only containers recorded here: a label is set by whoever creates a container, so a
 * workload labelled like the helper (`plimsoll.helper=true`) is assessed like any other container.
 */
export class HelperLedger {
  private readonly ids = new Set<string>();

  /** Records a helper container just created. */
  record(id: string): void {
    this.ids.add(id);
  }

  /** True for a container this instance created as a helper. */
  owns(id: string): boolean {
    return this.ids.has(id);
  }
}
