/** "APELLIDOS, Nombres": how the Anexo 01 and the directory write a person's name. */
export function personName(p: { last_names: string; first_names: string }): string {
  return `${p.last_names.toUpperCase()}, ${p.first_names}`;
}
