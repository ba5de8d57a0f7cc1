/**
 * A stand-in for the Atlassian product frontend that hosts a UI Kit app: @forge/react's OWN reconciler renders the
 * page and sends the forge-doc tree over `self.__bridge.callBridge('reconcile', …)`, and @forge/bridge's `invoke`
 * arrives here as `callBridge('invoke', …)`. The host keeps the live tree, answers invokes by calling the app's real
 * resolver function (JSON round trip, as the real bridge does), and lets tests use the page the way the product's
 * renderer would: read texts, fire the function props (onClick, onChange) with serialisable events.
 */
import type React from 'react';

export interface ForgeDocNode {
  type: string;
  props: Record<string, any>;
  children: ForgeDocNode[];
  key: string;
}

interface RemoteSetting {
  key: string;
  configured: { endpoint: string | null };
}

type BridgeCall = (command: string, data?: any) => Promise<unknown>;
export type InvokeHandler = (functionKey: string, payload: Record<string, unknown>) => Promise<unknown>;

let currentHost: ForgeUiHost | undefined;
/** Props the product renders as visible text (SectionMessage title, EmptyState header and description). */
const TEXT_PROPS = ['title', 'header', 'description'];

/**
 * Installs the global bridge once. Must run BEFORE @forge/bridge is first imported: its invoke module captures
 * `globalThis.__bridge.callBridge` when it loads. Later hosts take over through `currentHost`.
 */
export function installForgeBridge(): void {
  const g = globalThis as any;
  if (g.__bridge) return;
  if (typeof g.self === 'undefined') g.self = g; // @forge/react reaches the bridge through `self`, as in a browser worker
  const callBridge: BridgeCall = async (command, data) => {
    if (!currentHost) throw new Error(`Forge bridge call "${command}" with no test host active`);
    return currentHost.handle(command, data);
  };
  g.__bridge = { callBridge };
}

export class ForgeUiHost {
  root?: ForgeDocNode;
  readonly invocations: { functionKey: string; payload: Record<string, unknown> }[] = [];
  readonly errors: unknown[] = [];
  /** Remote endpoints the admin approved through the page (permissions.remote.set). */
  remotes: RemoteSetting[] = [];
  remoteSets = 0;
  /** Play an admin who declines Jira's prompt to approve a remote. */
  refuseRemotes = false;
  private pending = 0;
  private reconciles = 0;

  constructor(
    private readonly onInvoke: InvokeHandler,
    private readonly context: Record<string, unknown> = {},
  ) {}

  /**
   * Renders through ForgeReconciler exactly as the app's index.tsx does, then (unless `settle: false`, to look at the
   * loading state) waits for the first data to arrive.
   */
  async render(element: React.ReactElement, options: { settle?: boolean } = {}): Promise<void> {
    currentHost = this;
    const { default: ForgeReconciler } = await import('@forge/react');
    ForgeReconciler.render(element);
    if (!this.root) throw new Error('ForgeReconciler.render did not reconcile synchronously; the test host cannot find the tree');
    if (options.settle !== false) await this.settle();
  }

  async handle(command: string, data: any): Promise<unknown> {
    switch (command) {
      case 'reconcile':
        // The reconciler mutates one container object in place; the first one this host sees is its page.
        this.root ??= data.forgeDoc as ForgeDocNode;
        this.reconciles += 1;
        return undefined;
      case 'invoke': {
        this.pending += 1;
        try {
          const payload = JSON.parse(JSON.stringify(data.payload ?? {})) as Record<string, unknown>;
          this.invocations.push({ functionKey: data.functionKey, payload });
          const result = await this.onInvoke(data.functionKey, payload);
          return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
        } finally {
          this.pending -= 1;
        }
      }
      case 'getContext':
        return this.context;
      // Customer-managed remotes (@forge/bridge permissions.remote): the product asks the admin, then stores the URL.
      case '__permission__remoteGet':
        return { results: this.remotes };
      case '__permission__remoteSet':
        if (this.refuseRemotes) throw new Error('The administrator declined the relay address');
        for (const remote of data.remotes as RemoteSetting[]) {
          this.remotes = [...this.remotes.filter((r) => r.key !== remote.key), remote];
        }
        this.remoteSets += 1;
        return undefined;
      case 'onError':
        this.errors.push(data?.error);
        return undefined;
      default:
        throw new Error(`The test host does not emulate bridge command "${command}"`);
    }
  }

  /** Waits until no invoke is in flight and the tree has stopped changing (effects, state updates, re-renders). */
  async settle(maxMs = 20_000): Promise<void> {
    const started = Date.now();
    let quietRounds = 0;
    while (quietRounds < 3) {
      const before = this.reconciles;
      await new Promise((resolve) => setTimeout(resolve, 0));
      quietRounds = this.pending === 0 && this.reconciles === before ? quietRounds + 1 : 0;
      if (Date.now() - started > maxMs) throw new Error('The page kept changing or waiting for resolvers for too long');
    }
  }

  // ---- reading the tree ----

  all(predicate: (node: ForgeDocNode) => boolean, from: ForgeDocNode | undefined = this.root): ForgeDocNode[] {
    if (!from) return [];
    const found: ForgeDocNode[] = [];
    const walk = (node: ForgeDocNode) => {
      if (predicate(node)) found.push(node);
      node.children.forEach(walk);
    };
    walk(from);
    return found;
  }

  ofType(type: string, from?: ForgeDocNode): ForgeDocNode[] {
    return this.all((n) => n.type === type, from);
  }

  byTestId(testId: string): ForgeDocNode | undefined {
    return this.all((n) => n.props.testId === testId)[0];
  }

  /** All visible text under a node (text nodes, and the titles/headers the product draws from props), joined by spaces. */
  text(node: ForgeDocNode | undefined = this.root): string {
    if (!node) return '';
    const pieces: string[] = [];
    const walk = (n: ForgeDocNode) => {
      if (n.type === 'String') pieces.push(String(n.props.text));
      for (const prop of TEXT_PROPS) if (typeof n.props[prop] === 'string') pieces.push(n.props[prop]);
      n.children.forEach(walk);
    };
    walk(node);
    return pieces
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
  }

  button(label: string, within?: ForgeDocNode): ForgeDocNode {
    const buttons = this.ofType('Button', within).filter((b) => this.text(b) === label);
    if (buttons.length === 0) throw new Error(`No button "${label}" on the page. Buttons: ${this.ofType('Button', within).map((b) => this.text(b)).join(' | ')}`);
    return buttons[0];
  }

  /** The control named `name` (Textfield, TextArea, RadioGroup, Checkbox, Toggle, Select). */
  field(name: string): ForgeDocNode {
    const found = this.all((n) => n.props.name === name && n.type !== 'Box');
    if (found.length === 0) throw new Error(`No field named "${name}" on the page`);
    return found[0];
  }

  /** The error shown under a field (inside the same Field box), or undefined. */
  fieldError(name: string): string | undefined {
    const box = this.byTestId(`field-${name}`);
    if (!box) throw new Error(`No field box for "${name}"`);
    const error = this.ofType('ErrorMessage', box)[0];
    return error ? this.text(error) : undefined;
  }

  // ---- acting like the user ----

  async click(node: ForgeDocNode): Promise<void> {
    if (node.props.isDisabled) throw new Error(`"${this.text(node)}" is disabled`);
    await node.props.onClick?.({ type: 'click', target: {} });
    await this.settle();
  }

  /** Types into a text field, picks a radio option, ticks a checkbox or toggle, or picks a Select option. */
  async change(name: string, value: string | boolean): Promise<void> {
    const node = this.field(name);
    if (typeof node.props.onChange !== 'function') throw new Error(`Field "${name}" has no onChange`);
    if (node.type === 'Select') {
      const option = (node.props.options as { value: string }[]).find((o) => o.value === value);
      node.props.onChange(option);
    } else if (typeof value === 'boolean') {
      node.props.onChange(serialisableEvent({ checked: value, name }));
    } else {
      node.props.onChange(serialisableEvent({ value, name }));
    }
    await this.settle();
  }

  /** Picks these options in a multi-select (the product sends the chosen option objects). */
  async select(name: string, values: string[]): Promise<void> {
    const node = this.field(name);
    if (node.type !== 'Select' || !node.props.isMulti) throw new Error(`Field "${name}" is not a multi-select`);
    const options = (node.props.options as { value: string }[]).filter((o) => values.includes(o.value));
    if (options.length !== values.length) throw new Error(`Not all of ${values.join(', ')} are options of "${name}"`);
    node.props.onChange(options);
    await this.settle();
  }
}

/** The event shape the product sends over the bridge for input changes (forge-react-types SerialisableEvent). */
function serialisableEvent(target: Record<string, unknown>) {
  return { bubbles: true, cancelable: false, defaultPrevented: false, eventPhase: 2, isTrusted: true, target, timeStamp: 0, type: 'change' };
}
