/** An error sentence beside a form field, announced to screen readers when it appears. */

export function FieldError({ id, message }: { id?: string; message: string | null | undefined }) {
  return (
    <p id={id} className="field-error" role="alert" aria-live="assertive" hidden={!message}>
      {message}
    </p>
  );
}
