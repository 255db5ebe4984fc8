/**
 * Resource identities as the engine makes and matches them: a URN from stack, project, parent, type and
 * name, and which saved URN each planned resource takes over (itself, or through an alias).
 */
/** An alias: a whole URN, or parts that replace this resource's own (name, type, parent). */
export type AliasSpec = { urn: string } | { name?: string; type?: string; parentUrn?: string; noParent?: boolean; stack?: string; project?: string };

/** What identity needs of a recorded resource. */
interface Identified {
  urn: string;
  parent?: string;
  aliases: AliasSpec[];
}

const ROOT_STACK = "pulumi:pulumi:Stack";

/**
 * A URN as the engine makes it (pulumi/pulumi pkg/resource/deploy/deployment.go, generateURN): the
 * parent's whole qualified type chain, then the type; a child of the root stack has no parent type.
 */
export function createUrn(stack: string, project: string, parent: string | undefined, type: string, name: string): string {
  const parentType = parent ? parent.split("::")[2] : "";
  const chain = parentType && parentType !== ROOT_STACK ? `${parentType}$` : "";
  return `urn:pulumi:${stack}::${project}::${chain}${type}::${name}`;
}

/**
 * For each resource of `recording`, the URN of the old resource it takes over from `olds` (a previous
 * deployment's URNs), as the engine decides it (pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * generateAliases and getOldResource): the resource's own URN, else the first of its aliases that is an
 * old one; a parent found under an alias passes it on to its children. Undefined: a new resource.
 */
export function oldUrnOf(recording: { resources: Identified[] }, olds: Set<string>): Map<string, string | undefined> {
  const aliased = new Map<string, string>();
  const result = new Map<string, string | undefined>();
  const parts = (urn: string) => {
    const [head, project, chain, name] = urn.split("::");
    return { stack: head.replace(/^urn:pulumi:/, ""), project, chain, type: chain.split("$").pop()!, name };
  };
  for (const r of recording.resources) {
    const self = parts(r.urn);
    const collapse = (a: AliasSpec): string => {
      if ("urn" in a) return a.urn;
      let parent = a.parentUrn ?? r.parent ?? "";
      if (a.parentUrn && aliased.has(a.parentUrn)) parent = aliased.get(a.parentUrn)!;
      if (a.noParent || (parent && parts(parent).type === ROOT_STACK && parts(parent).chain === ROOT_STACK)) parent = "";
      const prefix = parent ? `${parent.slice(0, parent.lastIndexOf("::"))}$` : `urn:pulumi:${a.stack ?? self.stack}::${a.project ?? self.project}::`;
      return `${prefix}${a.type ?? self.type}::${a.name ?? self.name}`;
    };
    const inherited = (type: string, name: string, parentName: string, parentAlias: string) => {
      const alias = parts(parentAlias);
      const aliasName = name.startsWith(parentName) ? alias.name + name.slice(parentName.length) : name;
      return createUrn(self.stack, self.project, parentAlias, type, aliasName);
    };
    const aliases: string[] = [];
    const add = (u: string) => { if (!aliases.includes(u)) aliases.push(u); };
    for (const a of r.aliases) add(collapse(a));
    const parentAlias = r.parent ? aliased.get(r.parent) : undefined;
    if (r.parent && parentAlias) {
      const parentName = parts(r.parent).name;
      add(inherited(self.type, self.name, parentName, parentAlias));
      for (const a of r.aliases) {
        const c = parts(collapse(a));
        add(inherited(c.type, c.name, parentName, parentAlias));
      }
    }
    const old = [r.urn, ...aliases].find((u) => olds.has(u));
    result.set(r.urn, old);
    if (old && old !== r.urn) aliased.set(r.urn, old);
  }
  return result;
}
