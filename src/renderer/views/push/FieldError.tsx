/** FieldError is a control's inline error; the control names it with aria-describedby `id`. */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id}>
      {message}
    </p>
  );
}

/** describedBy joins the ids of a control's hint and error, leaving out those not shown. */
export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const shown = ids.filter((id): id is string => Boolean(id));
  return shown.length ? shown.join(' ') : undefined;
}
